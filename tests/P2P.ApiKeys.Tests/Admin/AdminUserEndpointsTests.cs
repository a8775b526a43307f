using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

public sealed class AdminUserEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAdmin_NoAdminExists_AnonymousBootstrapCreatesAdmin()
    {
        await using var host = await AdminTestHost.StartAsync();

        using var response = await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(AdminTestHost.AdminName, body.GetProperty("username").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.Equal(host.Time.GetUtcNow(), body.GetProperty("created_at").GetDateTimeOffset());
        Assert.False(body.TryGetProperty("password", out _));
        Assert.False(body.TryGetProperty("password_hash", out _));
        Assert.Equal(1, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAdmin_FreshHost_NoDefaultAdminExists()
    {
        await using var host = await AdminTestHost.StartAsync();

        Assert.Equal(0, await host.Users.CountAsync(Ct));
        using var login = await host.RequestTokenAsync("admin", "admin");
        await ProblemAssert.IsProblemAsync(login, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreateAdmin_AdminExistsAndNoToken_Returns401()
    {
        await using var host = await AdminTestHost.StartAsync();
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        using var response = await host.CreateAdminAsync("mallory", "another long passphrase");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(1, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAdmin_TwoSimultaneousBootstraps_ExactlyOneAdminCreated()
    {
        await using var host = await AdminTestHost.StartAsync();

        var responses = await Task.WhenAll(
            Task.Run(() => host.CreateAdminAsync("first", "first long passphrase"), Ct),
            Task.Run(() => host.CreateAdminAsync("second", "second long passphrase"), Ct));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created);
        Assert.Contains(loser.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal("application/problem+json", loser.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await host.Users.CountAsync(Ct));
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task CreateAdmin_WithAdminToken_CreatesAnotherAdminAndRefusesDuplicateName()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var created = await host.CreateAdminAsync("bob", "bob's long passphrase", token);
        using var duplicate = await host.CreateAdminAsync("BOB", "bob's other passphrase", token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ProblemAssert.IsProblemAsync(duplicate, HttpStatusCode.Conflict);
        Assert.Equal(2, await host.Users.CountAsync(Ct));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("1234567")]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("qwerty123")]
    [InlineData("Password1")]
    [InlineData("alicealice")]
    public async Task CreateAdmin_WeakPassword_Returns400AndCreatesNothing(string password)
    {
        await using var host = await AdminTestHost.StartAsync();
        var userName = password == "alicealice" ? "alicealice" : AdminTestHost.AdminName;

        using var response = await host.CreateAdminAsync(userName, password);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
        if (password != "password") // the word itself is in the field name and message
        {
            Assert.DoesNotContain(password, problem.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAdmin_PasswordOverMaximum_Returns400()
    {
        await using var host = await AdminTestHost.StartAsync();

        using var response = await host.CreateAdminAsync(AdminTestHost.AdminName, new string('x', 129));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAdmin_MaximumLengthPassphraseWithoutCompositionRules_IsAcceptedAndNeverTruncated()
    {
        await using var host = await AdminTestHost.StartAsync();
        var password = string.Concat(Enumerable.Repeat("lowercase words only ", 7))[..128];

        using var created = await host.CreateAdminAsync(AdminTestHost.AdminName, password);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var truncated = await host.RequestTokenAsync(AdminTestHost.AdminName, password[..127]);
        using var longer = await host.RequestTokenAsync(AdminTestHost.AdminName, password + "x");
        await ProblemAssert.IsProblemAsync(truncated, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(longer, HttpStatusCode.Unauthorized);
        Assert.False(string.IsNullOrEmpty(await host.LoginAsync(AdminTestHost.AdminName, password)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tname")]
    [InlineData("bidi\u202Ename")]
    public async Task CreateAdmin_InvalidUserName_Returns400(string userName)
    {
        await using var host = await AdminTestHost.StartAsync();

        using var response = await host.CreateAdminAsync(userName, AdminTestHost.AdminPassword);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("username", out _));
        Assert.Equal(0, await host.Users.CountAsync(Ct));
    }

    [Theory]
    [InlineData("text/plain", "{\"username\":\"alice\",\"password\":\"correct horse battery staple\"}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{\"username\":\"alice\",\"password\":\"correct horse battery staple\",\"is_root\":true}", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "{\"username\":\"alice\",", HttpStatusCode.BadRequest)]
    public async Task CreateAdmin_BadBody_ReturnsProblemAndCreatesNothing(string contentType, string body, HttpStatusCode expected)
    {
        await using var host = await AdminTestHost.StartAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await host.Client.PostAsync("/admin/users/", content, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, expected);
        Assert.DoesNotContain("correct horse", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAdmin_OversizedBody_Returns413()
    {
        await using var host = await AdminTestHost.StartAsync();

        using var response = await host.CreateAdminAsync(AdminTestHost.AdminName, new string('p', 40_000));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAdmin_StoredHash_IsIdentityV3WithHmacSha512AndAtLeast220000Iterations()
    {
        await using var host = await AdminTestHost.StartAsync(productionPasswordHasher: true);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        var user = await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct);

        var hash = Convert.FromBase64String(user!.PasswordHash);
        Assert.Equal(0x01, hash[0]);                                               // format marker: Identity V3
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));    // PRF: HMACSHA512
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 220_000);
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9)) >= 16);  // salt length
    }

    [Fact]
    public async Task ListAdmins_WithToken_ReturnsPagedAdminsWithoutSecrets()
    {
        await using var host = await AdminTestHost.StartAsync(keys: o => o.MaxPageSize = 1);
        var token = await host.BootstrapAsync();
        host.Time.Advance(TimeSpan.FromSeconds(1)); // oldest first: bob is second
        (await host.CreateAdminAsync("bob", "bob's long passphrase", token)).Dispose();

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/users/?page=2&page_size=10", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, body.GetProperty("total").GetInt64());
        Assert.Equal(1, body.GetProperty("page_size").GetInt32());
        var only = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("bob", only.GetProperty("username").GetString());
        Assert.DoesNotContain("hash", body.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeleteAdmin_LastAdmin_Returns409()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var me = await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct);

        using var response = await host.SendAsync(HttpMethod.Delete, $"/admin/users/{me!.Id}", token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(1, await host.Users.CountAsync(Ct));
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    public async Task DeleteAdmin_InvalidOrUnknownId_Returns404(string id)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Delete, $"/admin/users/{id}", token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteAdmin_OtherAdmin_Returns204AndItsTokenStopsWorking()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        (await host.CreateAdminAsync("bob", "bob's long passphrase", token)).Dispose();
        var bobToken = await host.LoginAsync("bob", "bob's long passphrase");
        using (var before = await host.SendAsync(HttpMethod.Get, "/admin/keys/", bobToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var bob = await host.Users.FindByNormalizedUserNameAsync("BOB", Ct);
        using var deleted = await host.SendAsync(HttpMethod.Delete, $"/admin/users/{bob!.Id}", token);
        using var after = await host.SendAsync(HttpMethod.Get, "/admin/keys/", bobToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ChangePassword_Valid_OldTokenRejectedAndNewPasswordWorks()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        const string newPassword = "an even better passphrase";

        using var changed = await host.SendAsync(HttpMethod.Post, "/admin/users/me/password", token,
            AdminTestHost.Json($$"""{"current_password":"{{AdminTestHost.AdminPassword}}","new_password":"{{newPassword}}"}"""));
        using var withOldToken = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        using var oldPassword = await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await ProblemAssert.IsProblemAsync(withOldToken, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(oldPassword, HttpStatusCode.Unauthorized);
        var newToken = await host.LoginAsync(AdminTestHost.AdminName, newPassword);
        using var withNewToken = await host.SendAsync(HttpMethod.Get, "/admin/keys/", newToken);
        Assert.Equal(HttpStatusCode.OK, withNewToken.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_Returns400AndKeepsToken()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/users/me/password", token,
            AdminTestHost.Json("""{"current_password":"not my passphrase","new_password":"an even better passphrase"}"""));
        using var stillValid = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("current_password", out _));
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_CommonNewPassword_Returns400()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/users/me/password", token,
            AdminTestHost.Json($$"""{"current_password":"{{AdminTestHost.AdminPassword}}","new_password":"qwerty123"}"""));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("new_password", out _));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// API keys with admin permissions (docs/security.md rules 16 and 30): automation calls the admin routes with its own key, each
/// route requires its permission, a key never grants what it does not hold, admin keys expire, the audit names the key.
/// </summary>
public sealed class AdminApiKeyPermissionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadOnlyAdminKey_ListKeys200_CreateKey403AndNothingWritten()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var readOnly = await host.CreateAdminKeyAsync(token, AdminPermissions.KeysRead);
        var keysBefore = await host.Keys.CountAsync(new ApiKeyFilter(), Ct);

        using var list = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/keys/", readOnly);
        using var create = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/keys/", readOnly, AdminTestHost.Json("""{"name":"x"}"""));
        using var audit = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/audit", readOnly);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(1, (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("total").GetInt64()); // the key itself
        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(audit, HttpStatusCode.Forbidden);
        Assert.Equal(keysBefore, await host.Keys.CountAsync(new ApiKeyFilter(), Ct));
    }

    [Fact]
    public async Task WriteKey_MintsOrdinaryKeysAndPermissionsItHolds_NeverOnesItLacks()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var writer = await host.CreateAdminKeyAsync(token, AdminPermissions.KeysWrite);
        var expiresAt = host.Time.GetUtcNow().AddDays(10).ToString("O");
        var keysBefore = await host.Keys.CountAsync(new ApiKeyFilter(), Ct);

        using var ordinary = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/keys/", writer, AdminTestHost.Json("""{"name":"Streamlit App Key"}"""));
        using var held = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/keys/", writer,
            AdminTestHost.Json($$"""{"name":"deploy","scopes":["admin:keys:write"],"expires_at":"{{expiresAt}}"}"""));
        using var escalate = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/keys/", writer,
            AdminTestHost.Json($$"""{"name":"more","scopes":["admin:keys:write","admin:users:write"],"expires_at":"{{expiresAt}}"}"""));

        Assert.Equal(HttpStatusCode.Created, ordinary.StatusCode);
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(escalate, HttpStatusCode.Forbidden);
        Assert.Contains("admin:users:write", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(keysBefore + 2, await host.Keys.CountAsync(new ApiKeyFilter(), Ct));

        // Nor by a change: adding a permission it lacks to an existing key is refused too.
        var id = (await ordinary.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        using var patch = await host.SendWithKeyAsync(HttpMethod.Patch, $"/admin/keys/{id}", writer,
            AdminTestHost.Json($$"""{"scopes":["admin:audit:read"],"expires_at":"{{expiresAt}}"}"""));
        await ProblemAssert.IsProblemAsync(patch, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WriteKey_KeyWithPermissionsItLacks_CannotBeChangedRevokedOrRotated()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var writer = await host.CreateAdminKeyAsync(token, AdminPermissions.KeysWrite);
        var stronger = (await host.CreateKeyAsync(token, $$"""{"name":"ops","scopes":["admin:users:write"],"expires_at":"{{host.Time.GetUtcNow().AddDays(5):O}}"}"""))
            .GetProperty("id").GetString();

        using var rotate = await host.SendWithKeyAsync(HttpMethod.Post, $"/admin/keys/{stronger}/rotate", writer);
        using var revoke = await host.SendWithKeyAsync(HttpMethod.Delete, $"/admin/keys/{stronger}", writer);
        using var rename = await host.SendWithKeyAsync(HttpMethod.Patch, $"/admin/keys/{stronger}", writer, AdminTestHost.Json("""{"name":"mine now"}"""));

        await ProblemAssert.IsProblemAsync(rotate, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(revoke, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(rename, HttpStatusCode.Forbidden);
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(stronger!), Ct);
        Assert.Null(stored!.RevokedAt);
        Assert.Null(stored.ReplacedByKeyId);
        Assert.Equal("ops", stored.Name);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest)]
    [InlineData(367, HttpStatusCode.BadRequest)]
    [InlineData(366, HttpStatusCode.Created)]
    public async Task CreateAdminKey_ExpiryMissingOrBeyond366Days_Refused(int? days, HttpStatusCode expected)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var expiry = days is { } d ? $$""","expires_at":"{{host.Time.GetUtcNow().AddDays(d):O}}" """ : "";

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token,
            AdminTestHost.Json($$"""{"name":"automation","scopes":["admin:keys:read"]{{expiry}}}"""));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("expires_at", out _));
        }
    }

    [Fact]
    public async Task CreateKey_UnknownAdminPermission_400()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token,
            AdminTestHost.Json($$"""{"name":"x","scopes":["admin:everything"],"expires_at":"{{host.Time.GetUtcNow().AddDays(1):O}}"}"""));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes", out _));
    }

    [Fact]
    public async Task AdminKeyChanges_AuditShowsTheKeyAsActor()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var writerKey = await host.CreateAdminKeyAsync(token, AdminPermissions.KeysWrite, AdminPermissions.AuditRead);
        var writerId = (await host.Keys.ListAsync(new ApiKeyFilter(), 0, 10, Ct).ToListAsync(Ct)).Single(k => k.Name == "automation").Id;

        using var created = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/keys/", writerKey, AdminTestHost.Json("""{"name":"made by a key"}"""));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        (await host.SendWithKeyAsync(HttpMethod.Delete, $"/admin/keys/{id}", writerKey)).Dispose();
        using var audit = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/audit", writerKey);

        var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().ToList();
        foreach (var action in new[] { "key.created", "key.revoked" })
        {
            var entry = entries.First(e => e.GetProperty("action").GetString() == action && e.GetProperty("target").GetString() == id);
            Assert.Equal("admin_key", entry.GetProperty("actor_kind").GetString());
            Assert.Equal(writerId.ToString(), entry.GetProperty("actor").GetString());
        }

        var byAdmin = entries.First(e => e.GetProperty("action").GetString() == "key.created" && e.GetProperty("target").GetString() == writerId.ToString());
        Assert.Equal("admin", byAdmin.GetProperty("actor_kind").GetString());
        Assert.Equal(AdminTestHost.AdminName, byAdmin.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task CreateAdmin_KeyNeedsEveryPermission_PasswordChangeNeverTakesAKey()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var usersOnly = await host.CreateAdminKeyAsync(token, AdminPermissions.UsersWrite);
        var all = await host.CreateAdminKeyAsync(token, [.. AdminPermissions.All]);
        var body = """{"username":"bob","password":"a long pass phrase 2"}""";

        using var refused = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/users/", usersOnly, AdminTestHost.Json(body));
        using var list = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/users/", usersOnly);
        using var created = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/users/", all, AdminTestHost.Json(body));
        using var password = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/users/me/password", all,
            AdminTestHost.Json("""{"current_password":"x","new_password":"a long pass phrase 3"}"""));

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ProblemAssert.IsProblemAsync(password, HttpStatusCode.Forbidden);
        Assert.Equal(2, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task OrdinaryKeyAndAdminTokenAsKey_AreRefusedOnAdminRoutes()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var ordinary = (await host.CreateKeyAsync(token)).GetProperty("key").GetString()!;

        using var withKey = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/keys/", ordinary);
        using var tokenAsKey = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/keys/", token);

        await ProblemAssert.IsProblemAsync(withKey, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(tokenAsKey, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("%20{0}")]
    [InlineData("{0}%20")]
    [InlineData("{0}%C2%A0")]
    [InlineData("%E3%80%80{0}")]
    [InlineData("%09{0}")]
    [InlineData("{{{0}}}")]
    [InlineData("{1}")]
    public async Task EveryIdRoute_IdNotExactly36CharactersDFormat_404AndNothingChanged(string format)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var key = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        var admin = (await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct))!.Id;
        (await host.CreateAdminAsync("bob", "a long pass phrase 2", token)).Dispose();
        string Padded(string id) => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, id, Guid.Parse(id).ToString("N"));

        var requests = new (HttpMethod Method, string Path, HttpContent? Body)[]
        {
            (HttpMethod.Get, $"/admin/keys/{Padded(key)}", null),
            (HttpMethod.Patch, $"/admin/keys/{Padded(key)}", AdminTestHost.Json("""{"name":"renamed"}""")),
            (HttpMethod.Post, $"/admin/keys/{Padded(key)}/rotate", null),
            (HttpMethod.Delete, $"/admin/keys/{Padded(key)}", null),
            (HttpMethod.Delete, $"/admin/users/{Padded(admin.ToString())}", null),
        };
        foreach (var (method, path, body) in requests)
        {
            using var response = await host.SendAsync(method, path, token, body);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        }

        var stored = await host.Keys.FindByIdAsync(Guid.Parse(key), Ct);
        Assert.Equal("Streamlit App Key", stored!.Name);
        Assert.Null(stored.RevokedAt);
        Assert.Null(stored.ReplacedByKeyId);
        Assert.NotNull(await host.Users.FindByIdAsync(admin, Ct));
    }
}

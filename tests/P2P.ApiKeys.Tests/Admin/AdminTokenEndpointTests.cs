using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

public sealed class AdminTokenEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_ValidCredentials_ReturnsShortLivedPinnedBearerToken()
    {
        await using var host = await AdminTestHost.StartAsync();
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        using var response = await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(900, body.GetProperty("expires_in").GetInt64());
        var jwt = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal(AdminDefaults.TokenType, jwt.Typ);
        var admin = await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct);
        Assert.Equal(admin!.Id.ToString(), jwt.Subject);
        Assert.Equal(AdminTestHost.AdminName, jwt.GetClaim("name").Value);
        Assert.Equal(admin.SecurityStamp, jwt.GetClaim(AdminDefaults.SecurityStampClaimType).Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(host.Time.GetUtcNow().AddMinutes(15).UtcDateTime, jwt.ValidTo);
    }

    [Fact]
    public async Task Token_GrantTypePassword_IsAccepted()
    {
        await using var host = await AdminTestHost.StartAsync();
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        using var response = await host.Client.PostAsync("/admin/token", AdminTestHost.Form(
            ("grant_type", "password"), ("username", AdminTestHost.AdminName), ("password", AdminTestHost.AdminPassword)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_JsonBody_Returns415()
    {
        await using var host = await AdminTestHost.StartAsync();

        using var response = await host.Client.PostAsync("/admin/token",
            AdminTestHost.Json("""{"username":"alice","password":"correct horse battery staple"}"""), Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("username=alice")]
    [InlineData("password=secret-passphrase")]
    [InlineData("grant_type=client_credentials&username=alice&password=secret-passphrase")]
    [InlineData("username=alice&username=bob&password=secret-passphrase")]
    public async Task Token_MissingOrInvalidFields_Returns400WithoutCallingHasher(string form)
    {
        await using var host = await AdminTestHost.StartAsync();
        using var content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await host.Client.PostAsync("/admin/token", content, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("secret-passphrase", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Hasher.Verifications);
    }

    [Fact]
    public async Task Token_OversizedBody_Returns413()
    {
        await using var host = await AdminTestHost.StartAsync();

        using var response = await host.RequestTokenAsync(AdminTestHost.AdminName, new string('x', 20_000));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Token_UnknownUserOrWrongPassword_SameAnswerAndOneHashVerificationEach()
    {
        await using var host = await AdminTestHost.StartAsync();
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        var before = host.Hasher.Verifications;
        using var unknown = await host.RequestTokenAsync("nobody", AdminTestHost.AdminPassword);
        var afterUnknown = host.Hasher.Verifications;
        using var wrong = await host.RequestTokenAsync(AdminTestHost.AdminName, "not the passphrase");
        var afterWrong = host.Hasher.Verifications;

        Assert.Equal(1, afterUnknown - before);
        Assert.Equal(1, afterWrong - afterUnknown);
        var unknownBody = await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.Unauthorized);
        var wrongBody = await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.Equal(WithoutTraceId(unknownBody), WithoutTraceId(wrongBody));
        Assert.Equal(unknown.Headers.Select(h => h.Key).Order(), wrong.Headers.Select(h => h.Key).Order());
    }

    [Fact]
    public async Task Token_RepeatedFailures_ThrottledWith429AndGrowingRetryAfter()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 100);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        for (var i = 0; i < 5; i++)
        {
            using var failed = await host.RequestTokenAsync(AdminTestHost.AdminName, "wrong passphrase");
            await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.Unauthorized);
        }

        var verifications = host.Hasher.Verifications;
        using var throttled = await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);
        await ProblemAssert.IsProblemAsync(throttled, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(30), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(verifications, host.Hasher.Verifications); // no guess is checked while throttled

        host.Time.Advance(TimeSpan.FromSeconds(31));
        using (var sixth = await host.RequestTokenAsync(AdminTestHost.AdminName, "wrong again"))
        {
            await ProblemAssert.IsProblemAsync(sixth, HttpStatusCode.Unauthorized);
        }

        using var longer = await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);
        await ProblemAssert.IsProblemAsync(longer, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(60), longer.Headers.RetryAfter?.Delta);

        host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(string.IsNullOrEmpty(await host.LoginAsync()));
        var admin = await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct);
        Assert.Equal(0, admin!.FailedLoginCount);
        Assert.Null(admin.LockoutEndsAt);
    }

    [Fact]
    public async Task Token_PerClientRateLimit_Returns429WithRetryAfterForThatClientOnly()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 3);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await host.Client.SendAsync(FormRequest("10.0.0.1"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode); // empty form: counted, cheap
        }

        using var limited = await host.Client.SendAsync(FormRequest("10.0.0.1"), Ct);
        using var otherClient = await host.Client.SendAsync(FormRequest("10.0.0.2"), Ct);

        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.BadRequest, otherClient.StatusCode);

        static HttpRequestMessage FormRequest(string ip)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/admin/token") { Content = AdminTestHost.Form() };
            request.Headers.Add(AdminTestHost.ClientIpHeader, ip);
            return request;
        }
    }

    [Fact]
    public async Task Token_PerClientRateLimit_IPv6AddressesOfOneSlash64ShareOneLimit()
    {
        // Finding 11: one IPv6 host holds a whole /64; a new address per request must not mean a new limit.
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 3);
        var statuses = new List<HttpStatusCode>();
        foreach (var ip in new[] { "2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:abcd::3", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:3::1" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/token") { Content = AdminTestHost.Form() };
            request.Headers.Add(AdminTestHost.ClientIpHeader, ip);
            using var response = await host.Client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.BadRequest],
            statuses);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void PartitionKey_Address_IPv4AloneIPv6BySlash64(string address, string expected) =>
        Assert.Equal(expected, AdminTokenRateLimiter.PartitionKey(IPAddress.Parse(address)));

    [Theory]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV2, 0)]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV3, 100_000)]
    public async Task Token_WeakerStoredHash_IsRehashedOnSuccessfulLogin(PasswordHasherCompatibilityMode mode, int iterations)
    {
        await using var host = await AdminTestHost.StartAsync(productionPasswordHasher: true);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();
        var admin = await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct);
        var oldHasher = new PasswordHasher<AdminUser>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = mode,
            IterationCount = iterations == 0 ? 10_000 : iterations,
        }));
        admin!.PasswordHash = oldHasher.HashPassword(admin, AdminTestHost.AdminPassword);
        Assert.Equal(ApiKeyStoreResult.Success, await host.Users.UpdateAsync(admin, Ct));

        await host.LoginAsync();

        var rehashed = Convert.FromBase64String((await host.Users.FindByIdAsync(admin.Id, Ct))!.PasswordHash);
        Assert.Equal(0x01, rehashed[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(rehashed.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(rehashed.AsSpan(5)) >= 220_000);
        await host.LoginAsync(); // the new hash verifies
    }

    [Fact]
    public async Task AdminToken_AfterLifetimePlusSkew_Returns401SayingWhenItExpiredButWithinSkewIsAccepted()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        host.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        using var withinSkew = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);

        Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(expired, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", expired.Headers.WwwAuthenticate.ToString());
        Assert.Equal(
            "The admin token expired at 2026-11-24 12:15:00 UTC: log in again with POST /admin/token and Authorize with the new token.",
            problem.GetProperty("detail").GetString());
    }

    private static string WithoutTraceId(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.ToString()));
}

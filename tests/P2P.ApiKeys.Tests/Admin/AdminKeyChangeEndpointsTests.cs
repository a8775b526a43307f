using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary><c>PATCH /admin/keys/{id}</c>, revocation and rotation as conditional state changes (docs/security.md rule 21), and the Location header.</summary>
public sealed class AdminKeyChangeEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpdateKey_NameScopesExpiryMetadata_Returns200StoresThemAndNotifies()
    {
        var notifier = new RecordingChangeNotifier();
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IApiKeyChangeNotifier>(notifier)));
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Portal","metadata":{"customer":"c-1"}}""");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("c-1", created.GetProperty("metadata").GetProperty("customer").GetString());
        var expiresAt = host.Time.GetUtcNow().AddDays(10);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json(
            $$$"""{"name":"Portal v2","scopes":["p2p:read","p2p:write"],"expires_at":"{{{expiresAt:O}}}","metadata":{"customer":"c-2","plan":"gold"}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Portal v2", body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.False(body.TryGetProperty("key", out _));
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(id), Ct);
        Assert.Equal("Portal v2", stored!.Name);
        Assert.Equal(["p2p:read", "p2p:write"], stored.Scopes);
        Assert.Equal(expiresAt, stored.ExpiresAt);
        Assert.Equal(new Dictionary<string, string> { ["customer"] = "c-2", ["plan"] = "gold" }, stored.Metadata);
        Assert.Equal([created.GetProperty("lookup_id").GetString()!], notifier.Changed);
        var audit = await host.Audit.ListAsync(0, 100, Ct).ToListAsync(Ct);
        Assert.Contains(audit, e => e.Action == "key.updated" && e.Target == Guid.Parse(id).ToString());
    }

    public static TheoryData<string, string> BadUpdates() => new()
    {
        { """{"name":""}""", "name" },
        { """{"name":"line\nbreak"}""", "name" },
        { """{"scopes":["has space"]}""", "scopes" },
        { """{"scopes":[null]}""", "scopes" },
        { """{"expires_at":"2000-01-01T00:00:00Z"}""", "expires_at" },
        { """{"metadata":{"bad name":"x"}}""", "metadata" },
        { """{"metadata":{"k":"line\nbreak"}}""", "metadata" },
        { $$$"""{"metadata":{"k":"{{{new string('v', 257)}}}"}}""", "metadata" },
        { "{\"metadata\":{" + string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"k{i}\":\"v\"")) + "}}", "metadata" },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task UpdateKey_BadInput_Returns400NamingTheFieldAndChangesNothing(string json, string field)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = Guid.Parse((await host.CreateKeyAsync(token)).GetProperty("id").GetString()!);
        var before = await host.Keys.FindByIdAsync(id, Ct);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json(json));

        await ProblemAssert.IsValidationProblemAsync(response, field);
        Stores.Conformance.StoreTestData.AssertSameKey(before!, await host.Keys.FindByIdAsync(id, Ct));
    }

    [Theory]
    [InlineData("""{"enabled":"yes"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"secret_hash":"AAAA"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"lookup_id":"abc"}""", HttpStatusCode.BadRequest)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    public async Task UpdateKey_MalformedOrForbiddenFields_ReturnsProblemAndChangesNothing(string json, HttpStatusCode expected)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = Guid.Parse((await host.CreateKeyAsync(token)).GetProperty("id").GetString()!);
        var before = await host.Keys.FindByIdAsync(id, Ct);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json(json));

        await ProblemAssert.IsProblemAsync(response, expected);
        Stores.Conformance.StoreTestData.AssertSameKey(before!, await host.Keys.FindByIdAsync(id, Ct));
    }

    [Fact]
    public async Task UpdateKey_UnknownKey_Returns404()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{Guid.NewGuid()}", token, AdminTestHost.Json("""{"name":"x"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateKey_DisableThenEnable_KeyRefusedWhileDisabledThenAcceptedAgain()
    {
        await using var host = await StartWithDataRouteAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var (id, key) = (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
        using (var ok = await GetDataAsync(host, key))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode); // cached now: the change must evict it
        }

        using (var disable = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"enabled":false}""")))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
            Assert.False((await disable.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("enabled").GetBoolean());
        }

        await ProblemAssert.IsUnauthorizedAsync(await GetDataAsync(host, key));

        using (var enable = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"enabled":true}""")))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }

        using var again = await GetDataAsync(host, key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var actions = (await host.Audit.ListAsync(0, 100, Ct).ToListAsync(Ct)).Select(e => e.Action).ToList();
        Assert.Contains("key.disabled", actions);
        Assert.Contains("key.enabled", actions);
    }

    [Fact]
    public async Task UpdateKey_CurrentEnabledValueSentAgain_Returns200AndWritesNothing()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        var stamp = (await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!.ConcurrencyStamp;
        var auditBefore = await host.Audit.CountAsync(Ct);

        using var enableEnabled = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"enabled":true}"""));
        var unchanged = (await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!;
        using var disable = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"enabled":false}"""));
        using var disableDisabled = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"enabled":false}"""));

        Assert.Equal(HttpStatusCode.OK, enableEnabled.StatusCode);
        Assert.True((await enableEnabled.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("enabled").GetBoolean());
        Assert.Equal(stamp, unchanged.ConcurrencyStamp);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disableDisabled.StatusCode);
        Assert.False((await disableDisabled.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("enabled").GetBoolean());
        Assert.Equal(auditBefore + 1, await host.Audit.CountAsync(Ct)); // only the real change (key.disabled) is audited
    }

    [Fact]
    public async Task GetKey_InRotationGracePeriod_ShowsGraceEndsAtNotAFutureRevokedAt()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        (await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":3600}"""))).Dispose();

        using var inGrace = await host.SendAsync(HttpMethod.Get, $"/admin/keys/{id}", token);
        var body = await inGrace.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(JsonValueKind.Null, body.GetProperty("revoked_at").ValueKind);
        var graceEndsAt = body.GetProperty("grace_ends_at").GetDateTimeOffset();
        Assert.Equal((await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!.RevokedAt, graceEndsAt);
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("replaced_by").ValueKind);
    }

    [Fact]
    public async Task UpdateKey_RevokedOrRotatedKey_Returns409AndChangesNothing()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var revoked = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        var rotated = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        (await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{revoked}", token)).Dispose();
        (await host.SendAsync(HttpMethod.Post, $"/admin/keys/{rotated}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":600}"""))).Dispose();

        foreach (var id in new[] { revoked, rotated })
        {
            using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"name":"resurrected"}"""));
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
            Assert.NotEqual("resurrected", (await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!.Name);
        }
    }

    [Fact]
    public async Task RevokeKey_Twice_SecondReturns409AndKeepsTheFirstTime()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        using var first = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token);
        var revokedAt = (await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!.RevokedAt;
        host.Time.Advance(TimeSpan.FromMinutes(1));

        using var second = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Equal(revokedAt, (await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!.RevokedAt);
    }

    [Fact]
    public async Task RevokeKey_InRotationGrace_RevokesTheOldKeyAtOnce()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        (await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":3600}"""))).Dispose();

        using var response = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(host.Time.GetUtcNow(), (await host.Keys.FindByIdAsync(Guid.Parse(id), Ct))!.RevokedAt);
    }

    [Fact]
    public async Task RotateKey_TenInParallel_ExactlyOneWinsTheOthersGet409()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var id = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(
            () => host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":60}""")), Ct)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        }

        Assert.Equal(2, await host.Keys.CountAsync(Ct));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task CreateKey_UnknownScopeWhenTheHostDeclaresItsScopes_Returns400ListingTheKnownOnes()
    {
        await using var host = await AdminTestHost.StartAsync(keys: o =>
        {
            o.KnownScopes.Add("p2p:read");
            o.KnownScopes.Add("p2p:write");
        });
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name":"k","scopes":["p2p:read","p2p:admin"]}"""));
        var known = await host.CreateKeyAsync(token, """{"name":"k","scopes":["p2p:write"]}""");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("scopes")[0].GetString()!;
        Assert.Contains("p2p:admin", message, StringComparison.Ordinal);
        Assert.Contains("p2p:read, p2p:write", message, StringComparison.Ordinal);
        Assert.Equal(["p2p:write"], known.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1, await host.Keys.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAndRotate_UnderAHostGroup_LocationHasTheGroupPrefix()
    {
        await using var host = await AdminTestHost.StartAsync(map: app => app.MapGroup("/api").MapAdminEndpoints());
        using (var bootstrap = await host.Client.PostAsJsonAsync("/api/admin/users/", new { username = AdminTestHost.AdminName, password = AdminTestHost.AdminPassword }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, bootstrap.StatusCode);
        }

        using var login = await host.Client.PostAsync("/api/admin/token", AdminTestHost.Form(("username", AdminTestHost.AdminName), ("password", AdminTestHost.AdminPassword)), Ct);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;

        using var created = await host.SendAsync(HttpMethod.Post, "/api/admin/keys/", token, AdminTestHost.Json("""{"name":"k"}"""));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        using var rotated = await host.SendAsync(HttpMethod.Post, $"/api/admin/keys/{id}/rotate", token);
        var newId = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();

        Assert.Equal($"/api/admin/keys/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal($"/api/admin/keys/{newId}", rotated.Headers.Location?.OriginalString);
        using var follow = await host.SendAsync(HttpMethod.Get, created.Headers.Location!.OriginalString, token);
        Assert.Equal(HttpStatusCode.OK, follow.StatusCode);
    }

    [Fact]
    public async Task ListKeys_FilterByOwnerAndState_ReturnsOnlyThoseKeys()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var kept = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        var revoked = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        (await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{revoked}", token)).Dispose();

        async Task<List<string>> ListAsync(string query)
        {
            using var response = await host.SendAsync(HttpMethod.Get, $"/admin/keys/{query}", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var ids = body.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
            Assert.Equal(ids.Count, body.GetProperty("total").GetInt64());
            return ids;
        }

        Assert.Equal([kept], await ListAsync("?state=active"));
        Assert.Equal([revoked], await ListAsync("?state=revoked"));
        Assert.Empty(await ListAsync("?state=expired"));
        Assert.Equal(2, (await ListAsync($"?owner={AdminTestHost.AdminName}")).Count);
        Assert.Empty(await ListAsync("?owner=bob"));
        await ProblemAssert.IsValidationProblemAsync(await host.SendAsync(HttpMethod.Get, "/admin/keys/?state=deleted", token), "state");
        await ProblemAssert.IsValidationProblemAsync(await host.SendAsync(HttpMethod.Get, "/admin/keys/?state=1", token), "state");
    }

    private static Task<AdminTestHost> StartWithDataRouteAsync() => AdminTestHost.StartAsync(map: app =>
    {
        app.MapAdminEndpoints();
        app.MapGet("/api/p2p/summary", () => "p2p data").RequireApiKeyScope("p2p:read");
    });

    private static Task<HttpResponseMessage> GetDataAsync(AdminTestHost host, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add(ApiKeyDefaults.HeaderName, key);
        return host.Client.SendAsync(request, Ct);
    }
}

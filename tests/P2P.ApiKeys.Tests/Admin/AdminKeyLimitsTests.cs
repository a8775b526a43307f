using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using P2P.ApiKeys.RateLimiting;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// <c>rate_limit</c> and <c>quota</c> on <c>POST /admin/keys/</c> and <c>PATCH /admin/keys/{id}</c>, and usage in key
/// metadata. Linked into the EF Core tests, so it runs on SQLite too.
/// </summary>
public sealed class AdminKeyLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AdminTestHost> StartAsync() => AdminTestHost.StartAsync(map: app =>
    {
        app.MapAdminEndpoints();
        app.MapGet("/data", () => "data").RequireApiKeyScope("p2p:read");
    });

    private static async Task<HttpResponseMessage> CallAsync(AdminTestHost host, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/data");
        request.Headers.Add("X-API-Key", key);
        return await host.Client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task CreateKey_WithRateLimitAndQuota_StoredShownAndEnforced()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();

        var created = await host.CreateKeyAsync(token,
            """{"name":"Limited","rate_limit":{"limit":2,"window_seconds":60},"quota":{"limit":100000,"period":"month"}}""");

        Assert.Equal(2, created.GetProperty("rate_limit").GetProperty("limit").GetInt64());
        Assert.Equal(60, created.GetProperty("rate_limit").GetProperty("window_seconds").GetInt64());
        Assert.Equal("month", created.GetProperty("quota").GetProperty("period").GetString());
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(created.GetProperty("id").GetString()!), Ct);
        Assert.Equal(new ApiKeyRateLimit(2, TimeSpan.FromSeconds(60)), stored!.RateLimit);
        Assert.Equal(new ApiKeyQuota(100_000, ApiKeyQuotaPeriod.Month), stored.Quota);

        var key = created.GetProperty("key").GetString()!;
        using var first = await CallAsync(host, key);
        using var second = await CallAsync(host, key);
        using var third = await CallAsync(host, key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await ProblemAssert.IsProblemAsync(third, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task GetKey_WithQuota_ShowsUsedAndRemainingInThePeriod()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Quota","quota":{"limit":10,"period":"day"}}""");
        var key = created.GetProperty("key").GetString()!;
        for (var i = 0; i < 3; i++)
        {
            using var call = await CallAsync(host, key);
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        using var get = await host.SendAsync(HttpMethod.Get, $"/admin/keys/{created.GetProperty("id").GetString()}", token);
        var body = await get.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var quota = body.GetProperty("usage").GetProperty("quota");
        Assert.Equal(10, quota.GetProperty("limit").GetInt64());
        Assert.Equal(3, quota.GetProperty("used").GetInt64());
        Assert.Equal(7, quota.GetProperty("remaining").GetInt64());
        Assert.Equal(new DateTimeOffset(host.Time.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero), quota.GetProperty("resets_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("usage").GetProperty("rate_limit").ValueKind);

        using var list = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        var item = (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items")[0];
        Assert.Equal(3, item.GetProperty("usage").GetProperty("quota").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task PatchKey_SetChangeAndRemove_AppliesAtOnceAndLeavesAbsentFieldsAlone()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Patched","quota":{"limit":50,"period":"day"}}""");
        var id = created.GetProperty("id").GetString()!;
        var key = created.GetProperty("key").GetString()!;
        using (var warm = await CallAsync(host, key))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var set = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"rate_limit":{"limit":1,"window_seconds":3600}}"""));
        var body = await set.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1, body.GetProperty("rate_limit").GetProperty("limit").GetInt64());
        Assert.Equal(50, body.GetProperty("quota").GetProperty("limit").GetInt64());

        // The cached copy of the key was evicted: the new limit holds on the very next request.
        using var allowed = await CallAsync(host, key);
        using var refused = await CallAsync(host, key);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        // null keeps a limit like every other field (a generated body must not delete anything): nothing changes.
        using var kept = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"rate_limit":null,"quota":null}"""));
        var keptBody = await kept.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(1, keptBody.GetProperty("rate_limit").GetProperty("limit").GetInt64());
        Assert.Equal(50, keptBody.GetProperty("quota").GetProperty("limit").GetInt64());

        using var removed = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"remove_rate_limit":true,"remove_quota":true}"""));
        var after = await removed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("rate_limit").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("quota").ValueKind);
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(id), Ct);
        Assert.Null(stored!.RateLimit);
        Assert.Null(stored.Quota);
        using var free = await CallAsync(host, key);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.Contains(await CollectAuditAsync(host), a => a == AdminKeyUpdateEndpointAction);
    }

    private const string AdminKeyUpdateEndpointAction = "key.updated";

    private static async Task<List<string>> CollectAuditAsync(AdminTestHost host)
    {
        var actions = new List<string>();
        await foreach (var entry in host.Audit.ListAsync(0, 100, Ct))
        {
            actions.Add(entry.Action);
        }

        return actions;
    }

    public static TheoryData<string, string> BadLimits => new()
    {
        { """{"rate_limit":{"limit":0,"window_seconds":60}}""", "rate_limit" },
        { """{"rate_limit":{"limit":-5,"window_seconds":60}}""", "rate_limit" },
        { """{"rate_limit":{"limit":1000000001,"window_seconds":60}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":0}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":-1}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":86401}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10}}""", "rate_limit" },
        { """{"rate_limit":{}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":60,"algorithm":"sliding"}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":60,"algorithm":"GCRA"}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":60,"burst":20}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":60,"algorithm":"fixed_window","burst":20}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":60,"algorithm":"gcra","burst":0}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":60,"algorithm":"gcra","burst":-3}}""", "rate_limit" },
        { """{"rate_limit":{"limit":10,"window_seconds":86400,"algorithm":"gcra","burst":1000000000}}""", "rate_limit" },
        { """{"quota":{"limit":0,"period":"day"}}""", "quota" },
        { """{"quota":{"limit":-1,"period":"month"}}""", "quota" },
        { """{"quota":{"limit":1000000000001,"period":"month"}}""", "quota" },
        { """{"quota":{"limit":100,"period":"fortnight"}}""", "quota" },
        { """{"quota":{"limit":100,"period":"month","anchor_day":0}}""", "quota" },
        { """{"quota":{"limit":100,"period":"month","anchor_day":29}}""", "quota" },
        { """{"quota":{"limit":100,"period":"month","anchor_day":15.5}}""", "quota" },
        { """{"quota":{"limit":100,"period":"month","anchor_day":"monday"}}""", "quota" },
        { """{"quota":{"limit":100,"period":"week","anchor_day":3}}""", "quota" },
        { """{"quota":{"limit":100,"period":"week","anchor_day":"Monday"}}""", "quota" },
        { """{"quota":{"limit":100,"period":"week","anchor_day":"mon"}}""", "quota" },
        { """{"quota":{"limit":100,"period":"week","anchor_day":true}}""", "quota" },
        { """{"quota":{"limit":100,"period":"day","anchor_day":1}}""", "quota" },
        { """{"quota":{"limit":100,"period":"month","anchor_day":{"day":1}}}""", "quota" },
        { """{"quota":{"limit":100,"period":"Month"}}""", "quota" },
        { """{"quota":{"limit":100}}""", "quota" },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public async Task CreateKey_BadLimits_Returns400AndWritesNothing(string limits, string field)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var json = "{\"name\":\"Bad\"," + limits[1..];

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json(json));

        await ProblemAssert.IsValidationProblemAsync(response, field);
        Assert.Equal(0, await host.Keys.CountAsync(P2P.ApiKeys.Stores.ApiKeyFilter.All, Ct));
    }

    [Theory]
    [MemberData(nameof(BadLimits))]
    public async Task PatchKey_BadLimits_Returns400AndWritesNothing(string limits, string field)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Kept","rate_limit":{"limit":7,"window_seconds":7}}""");
        var id = Guid.Parse(created.GetProperty("id").GetString()!);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json(limits));

        await ProblemAssert.IsValidationProblemAsync(response, field);
        var stored = await host.Keys.FindByIdAsync(id, Ct);
        Assert.Equal(new ApiKeyRateLimit(7, TimeSpan.FromSeconds(7)), stored!.RateLimit);
        Assert.Null(stored.Quota);
    }

    [Theory]
    [InlineData("""{"rate_limit":{"limit":1e30,"window_seconds":60}}""")]
    [InlineData("""{"rate_limit":{"limit":"100","window_seconds":60}}""")]
    [InlineData("""{"rate_limit":{"limit":1.5,"window_seconds":60}}""")]
    [InlineData("""{"quota":{"limit":99999999999999999999999,"period":"day"}}""")]
    [InlineData("""{"quota":{"limit":10,"period":1}}""")]
    [InlineData("""{"rate_limit":5}""")]
    [InlineData("""{"rate_limit":{"limit":5,"window_seconds":5,"burst":1}}""")]
    public async Task PatchKey_UnreadableLimits_Returns400AndWritesNothing(string json)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Kept"}""");
        var id = Guid.Parse(created.GetProperty("id").GetString()!);

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json(json));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("1e30", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var stored = await host.Keys.FindByIdAsync(id, Ct);
        Assert.Null(stored!.RateLimit);
        Assert.Null(stored.Quota);
    }

    [Fact]
    public async Task PatchKey_UnknownOrMalformedId_Returns404()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();

        using var unknown = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{Guid.NewGuid()}", token, AdminTestHost.Json("""{"quota":null}"""));
        using var malformed = await host.SendAsync(HttpMethod.Patch, "/admin/keys/not-a-guid", token, AdminTestHost.Json("""{"quota":null}"""));

        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(malformed, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PatchKey_WithoutAdminToken_Returns401()
    {
        await using var host = await StartAsync();
        await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{Guid.NewGuid()}", token: null, AdminTestHost.Json("""{"quota":null}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}

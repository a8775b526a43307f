using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// A PATCH that changes a key's window or period keeps what was used in the current one; only
/// <c>POST /admin/keys/{id}/limits/reset</c> (audited) clears it. Linked into the EF Core tests, so it runs on SQLite too.
/// </summary>
public sealed class AdminKeyLimitResetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AdminTestHost> StartAsync() => AdminTestHost.StartAsync(map: app =>
    {
        app.MapAdminEndpoints();
        app.MapGet("/data", () => "data").RequireApiKeyScope("p2p:read");
    });

    private static async Task<int> SpendAsync(AdminTestHost host, string key, int requests)
    {
        var admitted = 0;
        for (var i = 0; i < requests; i++)
        {
            using var response = await host.SendWithKeyAsync(HttpMethod.Get, "/data", key);
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        return admitted;
    }

    /// <summary>The host's clock at the start of an hour, so that no window in a test ends by surprise.</summary>
    private static void AlignToHour(AdminTestHost host) =>
        host.Time.Advance(TimeSpan.FromSeconds(3600 - (host.Time.GetUtcNow().ToUnixTimeSeconds() % 3600)));

    [Fact]
    public async Task PatchWindowSeconds_KeepsTheCountUsedInTheCurrentWindow_ResetClearsIt()
    {
        await using var host = await StartAsync();
        AlignToHour(host);
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Metered","rate_limit":{"limit":3,"window_seconds":60}}""");
        var id = created.GetProperty("id").GetString()!;
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(2, await SpendAsync(host, key, 2));

        using (var patched = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"rate_limit":{"limit":3,"window_seconds":3600}}""")))
        {
            var body = await patched.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.Equal(2, body.GetProperty("usage").GetProperty("rate_limit").GetProperty("used").GetInt64());
        }

        Assert.Equal(1, await SpendAsync(host, key, 5)); // 2 + 1: the longer window did not start from zero

        using var reset = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/limits/reset", token);
        var after = await reset.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(0, after.GetProperty("usage").GetProperty("rate_limit").GetProperty("used").GetInt64());
        Assert.Equal(3, await SpendAsync(host, key, 5));
        Assert.Contains(await CollectAuditAsync(host), a => a.Action == "key.limits_reset" && a.Target == id);
    }

    [Fact]
    public async Task PatchQuotaPeriod_DayToMonth_KeepsTheCount()
    {
        await using var host = await StartAsync();
        host.Time.Advance(TimeSpan.FromDays(2)); // a day that does not start its month, so the two periods start apart
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Quota","quota":{"limit":4,"period":"day"}}""");
        var id = created.GetProperty("id").GetString()!;
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(3, await SpendAsync(host, key, 3));

        using (var patched = await host.SendAsync(HttpMethod.Patch, $"/admin/keys/{id}", token, AdminTestHost.Json("""{"quota":{"limit":4,"period":"month"}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal(1, await SpendAsync(host, key, 3));
    }

    [Fact]
    public async Task Reset_KeyOfARotatedLineage_ResetsTheSharedBudget()
    {
        await using var host = await StartAsync();
        AlignToHour(host);
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Rotated","rate_limit":{"limit":2,"window_seconds":3600}}""");
        var oldId = created.GetProperty("id").GetString()!;
        Assert.Equal(2, await SpendAsync(host, created.GetProperty("key").GetString()!, 3));
        using var rotated = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":60}"""));
        var replacement = await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var newKey = replacement.GetProperty("key").GetString()!;
        Assert.Equal(0, await SpendAsync(host, newKey, 2));

        using var reset = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/limits/reset", token);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(2, await SpendAsync(host, newKey, 3));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    [InlineData("not-a-guid", HttpStatusCode.NotFound)]
    [InlineData("%27%3B--", HttpStatusCode.NotFound)]
    public async Task Reset_UnknownOrMalformedId_ProblemNothingAudited(string id, HttpStatusCode expected)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var before = (await CollectAuditAsync(host)).Count;

        using var response = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/limits/reset", token);

        await ProblemAssert.IsProblemAsync(response, expected);
        Assert.Equal(before, (await CollectAuditAsync(host)).Count);
    }

    [Fact]
    public async Task Reset_WithoutTokenOrWithReadOnlyKey_401And403NothingReset()
    {
        await using var host = await StartAsync();
        AlignToHour(host);
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Metered","rate_limit":{"limit":1,"window_seconds":3600}}""");
        var id = created.GetProperty("id").GetString()!;
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(1, await SpendAsync(host, key, 2));
        var reader = await host.CreateAdminKeyAsync(token, "admin:keys:read");
        var before = (await CollectAuditAsync(host)).Count;

        using var anonymous = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/limits/reset", token: null);
        using var readOnly = await host.SendWithKeyAsync(HttpMethod.Post, $"/admin/keys/{id}/limits/reset", reader);
        using var byTheKeyItself = await host.SendWithKeyAsync(HttpMethod.Post, $"/admin/keys/{id}/limits/reset", key);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.True(byTheKeyItself.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, byTheKeyItself.StatusCode.ToString());
        Assert.Equal(0, await SpendAsync(host, key, 1));
        Assert.Equal(before, (await CollectAuditAsync(host)).Count);
    }

    private static async Task<List<(string Action, string? Target)>> CollectAuditAsync(AdminTestHost host)
    {
        var entries = new List<(string, string?)>();
        await foreach (var entry in host.Audit.ListAsync(0, 100, Ct))
        {
            entries.Add((entry.Action, entry.Target));
        }

        return entries;
    }

    [Fact]
    public async Task CreateKey_Gcra_StoredShownEnforcedWithBurstAndSteadyRate()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token,
            """{"name":"Smooth","rate_limit":{"limit":60,"window_seconds":60,"algorithm":"gcra","burst":3}}""");
        var rateLimit = created.GetProperty("rate_limit");
        Assert.Equal("gcra", rateLimit.GetProperty("algorithm").GetString());
        Assert.Equal(3, rateLimit.GetProperty("burst").GetInt64());
        var key = created.GetProperty("key").GetString()!;

        Assert.Equal(3, await SpendAsync(host, key, 5)); // the burst at once
        using (var refused = await host.SendWithKeyAsync(HttpMethod.Get, "/data", key))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("1", Assert.Single(refused.Headers.GetValues("Retry-After"))); // one per second
            Assert.Equal("\"rate\";q=60;w=60;p2p-burst=3", Assert.Single(refused.Headers.GetValues("RateLimit-Policy")));
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await SpendAsync(host, key, 3)); // then one per emission interval, not a fresh window of 60
    }

    [Fact]
    public async Task CreateKey_WeeklyAndAnchoredMonthlyQuota_StoredShownAndResetAtTheAnchor()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var weekly = await host.CreateKeyAsync(token, """{"name":"Weekly","quota":{"limit":2,"period":"week","anchor_day":"wednesday"}}""");
        var monthly = await host.CreateKeyAsync(token, """{"name":"Billing","quota":{"limit":2,"period":"month","anchor_day":15}}""");

        Assert.Equal("wednesday", weekly.GetProperty("quota").GetProperty("anchor_day").GetString());
        Assert.Equal(15, monthly.GetProperty("quota").GetProperty("anchor_day").GetInt32());
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(monthly.GetProperty("id").GetString()!), Ct);
        Assert.Equal(new P2P.ApiKeys.RateLimiting.ApiKeyQuota(2, P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Month, 15), stored!.Quota);

        // The host's clock starts on Tuesday 2026-11-24 at noon: the weekly period began on Wednesday 2026-11-18 and the
        // monthly one on 2026-11-15; both refuse a third request, the week until Wednesday 2026-11-25, the month until 12-15.
        var key = monthly.GetProperty("key").GetString()!;
        Assert.Equal(2, await SpendAsync(host, key, 3));
        using (var refused = await host.SendWithKeyAsync(HttpMethod.Get, "/data", key))
        {
            var expected = (long)(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero) - host.Time.GetUtcNow()).TotalSeconds;
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(refused.Headers.GetValues("Retry-After")));
            Assert.Equal("\"quota\";q=2;w=2592000", Assert.Single(refused.Headers.GetValues("RateLimit-Policy"))); // Nov 15 to Dec 15: 30 days
        }

        var weekKey = weekly.GetProperty("key").GetString()!;
        Assert.Equal(2, await SpendAsync(host, weekKey, 3));
        host.Time.Advance(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero) - host.Time.GetUtcNow());
        Assert.Equal(2, await SpendAsync(host, weekKey, 3));
        Assert.Equal(0, await SpendAsync(host, key, 1)); // the billing month still runs
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.Tests.Usage;

public sealed class ApiKeySelfEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ApiKeyTestHost> StartAsync() => ApiKeyTestHost.StartAsync(mapEndpoints: app => app.MapApiKeySelfEndpoint());

    private static async Task<JsonElement> SelfAsync(ApiKeyTestHost host, string key)
    {
        using var response = await host.GetAsync("/api/keys/self", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task Self_ShowsTheKeyItsLimitsAndTodaysCounts_WithoutSpendingItsQuota()
    {
        await using var host = await StartAsync();
        var (key, record) = await host.CreateKeyAsync(
            name: "Streamlit App Key", rateLimit: new ApiKeyRateLimit(10, TimeSpan.FromMinutes(1)), quota: new ApiKeyQuota(100, ApiKeyQuotaPeriod.Day));
        await host.GetAsync("/read", key);
        await host.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);
        await host.GetAsync("/read", key);
        await host.GetAsync("/write", key);

        var self = await SelfAsync(host, key);

        Assert.Equal(record.Id.ToString(), self.GetProperty("id").GetString());
        Assert.Equal("Streamlit App Key", self.GetProperty("name").GetString());
        Assert.Equal(["p2p:read"], self.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var quota = self.GetProperty("quota");
        Assert.Equal((100L, 2L, 98L, "day"), (quota.GetProperty("limit").GetInt64(), quota.GetProperty("used").GetInt64(),
            quota.GetProperty("remaining").GetInt64(), quota.GetProperty("period").GetString()));
        Assert.Equal(60, self.GetProperty("rate_limit").GetProperty("window_seconds").GetInt64());

        // Flushed and not yet flushed alike, this request included; the 403 is counted as forbidden.
        var today = self.GetProperty("today");
        Assert.Equal(3, today.GetProperty("allowed").GetInt64());
        Assert.Equal(1, today.GetProperty("forbidden").GetInt64());
        var days = self.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal(today.GetProperty("start").GetDateTimeOffset(), days[^1].GetProperty("start").GetDateTimeOffset());
        Assert.Equal(ApiKeyTestHost.Start.Date, days[^1].GetProperty("start").GetDateTimeOffset().UtcDateTime);
    }

    [Fact]
    public async Task Self_NeverShowsAnotherKey()
    {
        await using var host = await StartAsync();
        var (first, firstRecord) = await host.CreateKeyAsync(name: "first");
        var (second, secondRecord) = await host.CreateKeyAsync(name: "second", owner: "bob");
        for (var i = 0; i < 5; i++)
        {
            await host.GetAsync("/read", second);
        }

        var self = await SelfAsync(host, first);
        var other = await SelfAsync(host, second);

        Assert.Equal(firstRecord.Id.ToString(), self.GetProperty("id").GetString());
        Assert.Equal("first", self.GetProperty("name").GetString());
        Assert.Equal(1, self.GetProperty("today").GetProperty("allowed").GetInt64());
        Assert.Equal(secondRecord.Id.ToString(), other.GetProperty("id").GetString());
        Assert.Equal(6, other.GetProperty("today").GetProperty("allowed").GetInt64());
        Assert.DoesNotContain(secondRecord.Id.ToString(), self.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(first, self.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_WithoutAKeyOrWithARevokedOne_IsUnauthorized()
    {
        await using var host = await StartAsync();
        var (key, record) = await host.CreateKeyAsync();
        await host.RevokeAsync(record);

        using var none = await host.GetAsync("/api/keys/self");
        using var revoked = await host.GetAsync("/api/keys/self", key);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }
}

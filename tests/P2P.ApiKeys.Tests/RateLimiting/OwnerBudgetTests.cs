using System.Net;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>
/// An owner's budget is shared by all of the owner's keys and checked together with each key's own: a request must fit
/// both, and a refusal by either counts in neither.
/// </summary>
public sealed class OwnerBudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeKeysOfOneOwner_OwnerQuota7_AdmitExactly7InTotal()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        await SetOwnerLimitsAsync(host, "acme", new ApiKeyOwnerLimits(null, new ApiKeyQuota(7, ApiKeyQuotaPeriod.Month)));
        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            keys.Add((await host.CreateKeyAsync(owner: "acme", quota: new ApiKeyQuota(100, ApiKeyQuotaPeriod.Month))).Key);
        }

        var (other, _) = await host.CreateKeyAsync(owner: "globex");
        var admitted = 0;
        for (var round = 0; round < 5; round++)
        {
            foreach (var key in keys)
            {
                admitted += await SpendAsync(host, key, 1);
            }
        }

        Assert.Equal(7, admitted);
        Assert.Equal(5, await SpendAsync(host, other, 5)); // another owner's keys are not touched
        var status = await host.Services.GetRequiredService<IApiKeyLimiter>().GetStatusAsync(
            ApiKeyOwnerBudget.PartitionOf("acme"), null, new ApiKeyQuota(7, ApiKeyQuotaPeriod.Month), Ct);
        Assert.Equal(7, status.QuotaUsed);
    }

    [Fact]
    public async Task OwnerQuotaRefuses_KeyCountsNothing_And429NamesOwnerQuota()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        await SetOwnerLimitsAsync(host, "acme", new ApiKeyOwnerLimits(null, new ApiKeyQuota(3, ApiKeyQuotaPeriod.Day)));
        var keyQuota = new ApiKeyQuota(100, ApiKeyQuotaPeriod.Day);
        var (key, record) = await host.CreateKeyAsync(owner: "acme", quota: keyQuota);

        Assert.Equal(3, await SpendAsync(host, key, 3));
        using var refused = await host.GetAsync("/read", key);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("owner_quota", Assert.Single(problem.GetProperty("violated-policies").EnumerateArray()).GetString());
        Assert.StartsWith("\"owner_quota\";r=0;", Assert.Single(refused.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        Assert.True(refused.Headers.Contains("Retry-After"));

        var status = await host.Services.GetRequiredService<IApiKeyLimiter>().GetStatusAsync(record.LineageId, null, keyQuota, Ct);
        Assert.Equal(3, status.QuotaUsed); // the refused request was not counted in the key's quota
    }

    [Fact]
    public async Task KeyRateLimitRefuses_OwnerCountsNothing_AndHeadersShowTheTighterBudget()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var ownerQuota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Day);
        await SetOwnerLimitsAsync(host, "acme", new ApiKeyOwnerLimits(null, ownerQuota));
        var (key, _) = await host.CreateKeyAsync(owner: "acme", rateLimit: new ApiKeyRateLimit(2, TimeSpan.FromDays(1)));

        using (var first = await host.GetAsync("/read", key))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.StartsWith("\"rate\";r=1;", Assert.Single(first.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        }

        Assert.Equal(1, await SpendAsync(host, key, 5));
        using var refused = await host.GetAsync("/read", key);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate", Assert.Single(problem.GetProperty("violated-policies").EnumerateArray()).GetString());

        var status = await host.Services.GetRequiredService<IApiKeyLimiter>().GetStatusAsync(ApiKeyOwnerBudget.PartitionOf("acme"), null, ownerQuota, Ct);
        Assert.Equal(2, status.QuotaUsed); // 7 refusals by the key's rate limit: none in the owner's quota

        // A second key of the owner has its own rate limit but shares the owner's quota: 8 left.
        var (second, _) = await host.CreateKeyAsync(owner: "acme");
        using var admitted = await host.GetAsync("/read", second);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.StartsWith("\"owner_quota\";r=7;", Assert.Single(admitted.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        Assert.Equal("\"owner_quota\";q=10;w=86400", Assert.Single(admitted.Headers.GetValues("RateLimit-Policy")));
    }

    [Fact]
    public async Task LocalLimiter_PairDecision_RefusalByEitherCountsInNeither()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-03-10T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var limiter = new LocalApiKeyLimiter(time);
        var key = Guid.NewGuid();
        var owner = ApiKeyOwnerBudget.PartitionOf("acme");
        var keyRate = new ApiKeyRateLimit(3, TimeSpan.FromHours(1));
        var ownerRate = new ApiKeyRateLimit(2, TimeSpan.FromHours(1), ApiKeyRateLimitAlgorithm.Gcra, 2);

        var results = new List<ApiKeyBudgetStatus>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await limiter.AcquireAsync(key, keyRate, null, owner, ownerRate, null, 1, Ct));
        }

        Assert.Equal([true, true, false, false], results.ConvertAll(r => r.IsAllowed));
        Assert.Equal(ApiKeyLimitKind.RateLimit, results[2].Owner.RejectedBy);
        Assert.True(results[2].Key.IsAllowed);
        Assert.Equal(2, (await limiter.GetStatusAsync(key, keyRate, null, Ct)).RateLimitUsed);
        Assert.NotEqual(owner, ApiKeyOwnerBudget.PartitionOf("acme2"));
        Assert.Equal(owner, ApiKeyOwnerBudget.PartitionOf("acme"));
    }

    internal static async Task SetOwnerLimitsAsync(ApiKeyTestHost host, string owner, ApiKeyOwnerLimits limits) =>
        await host.Services.GetRequiredService<IApiKeyOwnerLimitStore>().SetAsync(owner, limits, Ct);

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

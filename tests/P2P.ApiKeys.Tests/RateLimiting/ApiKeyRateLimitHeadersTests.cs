using Microsoft.AspNetCore.Http;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.RateLimiting.Enforcement;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>The RateLimit fields are formatted once per key and window and reused while their values repeat.</summary>
public sealed class ApiKeyRateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 10, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Write_SameValuesAgain_ReusesTheStringsAndAllocatesNothing()
    {
        var rate = new ApiKeyRateLimit(100, TimeSpan.FromSeconds(60));
        var quota = new ApiKeyQuota(1000, ApiKeyQuotaPeriod.Month);
        var status = new ApiKeyLimitStatus(ApiKeyLimitKind.None, 43, TimeSpan.FromSeconds(29.5), 200, TimeSpan.FromDays(3));
        IHeaderDictionary headers = new HeaderDictionary();
        ApiKeyRateLimitHeaders.Write(headers, rate, quota, status, Now);
        var policy = headers["RateLimit-Policy"].ToString();
        var value = headers["RateLimit"].ToString();
        Assert.Equal("\"rate\";q=100;w=60, \"quota\";q=1000;w=2678400", policy);
        Assert.Equal("\"rate\";r=57;t=30, \"quota\";r=800;t=259200", value);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            ApiKeyRateLimitHeaders.Write(headers, rate, quota, status, Now);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Same(policy, headers["RateLimit-Policy"].ToString());
        Assert.Same(value, headers["RateLimit"].ToString());
    }

    [Fact]
    public void Write_NextPeriodOrOtherValues_FormatsAfresh()
    {
        var quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Month);
        IHeaderDictionary headers = new HeaderDictionary();
        ApiKeyRateLimitHeaders.Write(headers, null, quota, new ApiKeyLimitStatus(ApiKeyLimitKind.None, 0, default, 1, TimeSpan.FromDays(1)), Now);
        Assert.Equal("\"quota\";q=10;w=2678400", headers["RateLimit-Policy"].ToString()); // March: 31 days

        ApiKeyRateLimitHeaders.Write(headers, null, quota, new ApiKeyLimitStatus(ApiKeyLimitKind.Quota, 0, default, 10, TimeSpan.FromSeconds(5)), Now.AddMonths(1));
        Assert.Equal("\"quota\";q=10;w=2592000", headers["RateLimit-Policy"].ToString()); // April: 30 days
        Assert.Equal("\"quota\";r=0;t=5", headers["RateLimit"].ToString());
        Assert.Equal("5", headers["Retry-After"].ToString());
    }
}

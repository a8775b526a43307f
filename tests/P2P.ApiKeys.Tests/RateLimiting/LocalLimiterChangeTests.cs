using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>The local limiter keeps a count across a change of window or period while the counted one runs; a reset clears it.</summary>
public sealed class LocalLimiterChangeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WindowLengthChanged_CountKeptUntilTheCountedWindowEnds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        using var limiter = new LocalApiKeyLimiter(time);
        var id = Guid.NewGuid();
        var perMinute = new ApiKeyRateLimit(5, TimeSpan.FromSeconds(60));
        var perHour = new ApiKeyRateLimit(5, TimeSpan.FromSeconds(3600));
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await limiter.AcquireAsync(id, perMinute, null, 1, Ct)).IsAllowed);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(4, (await limiter.GetStatusAsync(id, perHour, null, Ct)).RateLimitUsed);
        Assert.True((await limiter.AcquireAsync(id, perHour, null, 1, Ct)).IsAllowed);
        Assert.Equal(ApiKeyLimitKind.RateLimit, (await limiter.AcquireAsync(id, perHour, null, 1, Ct)).RejectedBy);

        await limiter.ResetAsync(id, Ct);
        Assert.Equal(0, (await limiter.GetStatusAsync(id, perHour, null, Ct)).RateLimitUsed);
    }

    [Fact]
    public async Task WindowLengthChangedAfterTheCountedWindowEnded_StartsFromZero()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        using var limiter = new LocalApiKeyLimiter(time);
        var id = Guid.NewGuid();
        Assert.True((await limiter.AcquireAsync(id, new ApiKeyRateLimit(5, TimeSpan.FromSeconds(60)), null, 3, Ct)).IsAllowed);

        time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(0, (await limiter.GetStatusAsync(id, new ApiKeyRateLimit(5, TimeSpan.FromSeconds(3600)), null, Ct)).RateLimitUsed);
    }
}

using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>
/// GCRA's guarantee, checked on the local limiter's core under a fake clock: in every interval of length t (from one
/// admitted request to another) at most <c>burst + floor(t × limit / window)</c> cost units are admitted.
/// </summary>
public sealed class GcraPropertyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void RandomArrivals_1000000Sequences_NoIntervalExceedsTheBound()
    {
        const int Sequences = 1_000_000;
        var random = new Random(20261202);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        using var limiter = new LocalApiKeyLimiter(time);
        var id = Guid.NewGuid();
        Span<long> times = stackalloc long[16];
        Span<int> costs = stackalloc int[16];
        long admittedTotal = 0, refusedTotal = 0;
        for (var sequence = 0; sequence < Sequences; sequence++)
        {
            var limit = random.Next(1, 9);
            var windowMs = random.Next(1, 6) * 1000L;
            var burst = random.Next(1, 13);
            var rate = new ApiKeyRateLimit(limit, TimeSpan.FromMilliseconds(windowMs), ApiKeyRateLimitAlgorithm.Gcra, burst);
            limiter.Reset(id);
            var arrivals = random.Next(4, 17);
            var admitted = 0;
            var startMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < arrivals; i++)
            {
                // Bursts (same millisecond), spacing near the emission interval, and long pauses.
                var gap = random.Next(4) switch
                {
                    0 => 0,
                    1 => random.Next(0, (int)(windowMs / limit) + 2),
                    2 => random.Next(0, 50),
                    _ => random.Next(0, (int)windowMs * 2),
                };
                time.Advance(TimeSpan.FromMilliseconds(gap));
                var cost = random.Next(10) == 0 ? random.Next(2, 4) : 1;
                var status = limiter.Acquire(id, rate, null, cost);
                if (status.IsAllowed)
                {
                    times[admitted] = time.GetUtcNow().ToUnixTimeMilliseconds() - startMs;
                    costs[admitted] = cost;
                    admitted++;
                    admittedTotal++;
                }
                else
                {
                    refusedTotal++;
                }
            }

            for (var i = 0; i < admitted; i++)
            {
                long units = 0;
                for (var j = i; j < admitted; j++)
                {
                    units += costs[j];
                    var bound = burst + ((times[j] - times[i]) * limit / windowMs);
                    if (units > bound)
                    {
                        Assert.Fail($"Sequence {sequence}: {units} units admitted in {times[j] - times[i]} ms; bound {bound} (limit {limit}/{windowMs} ms, burst {burst}).");
                    }
                }
            }

            time.Advance(TimeSpan.FromMilliseconds(windowMs * 3)); // the next sequence starts on a drained bucket
        }

        // Both outcomes were exercised many times over.
        Assert.True(admittedTotal > Sequences && refusedTotal > Sequences / 10, $"admitted {admittedTotal}, refused {refusedTotal}");
    }

    [Fact]
    public async Task Gcra_BurstAtOnceThenOnePerEmissionInterval_Tight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        using var limiter = new LocalApiKeyLimiter(time);
        var id = Guid.NewGuid();
        var rate = new ApiKeyRateLimit(10, TimeSpan.FromSeconds(1), ApiKeyRateLimitAlgorithm.Gcra, burst: 4);

        for (var i = 0; i < 4; i++)
        {
            Assert.True((await limiter.AcquireAsync(id, rate, null, 1, Ct)).IsAllowed);
        }

        var refused = await limiter.AcquireAsync(id, rate, null, 1, Ct);
        Assert.Equal(ApiKeyLimitKind.RateLimit, refused.RejectedBy);
        Assert.Equal(TimeSpan.FromMilliseconds(100), refused.RateLimitReset); // one emission interval
        Assert.Equal(4, refused.RateLimitUsed);

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False((await limiter.AcquireAsync(id, rate, null, 1, Ct)).IsAllowed);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await limiter.AcquireAsync(id, rate, null, 1, Ct)).IsAllowed);
        Assert.False((await limiter.AcquireAsync(id, rate, null, 1, Ct)).IsAllowed);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await limiter.GetStatusAsync(id, rate, null, Ct)).RateLimitUsed);
    }

    [Fact]
    public void Gcra_Decisions_AllocateNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
        using var limiter = new LocalApiKeyLimiter(time);
        var id = Guid.NewGuid();
        var rate = new ApiKeyRateLimit(100, TimeSpan.FromSeconds(1), ApiKeyRateLimitAlgorithm.Gcra, burst: 10);
        var quota = new ApiKeyQuota(1_000_000, ApiKeyQuotaPeriod.Month);
        for (var i = 0; i < 1000; i++)
        {
            _ = limiter.Acquire(id, rate, quota, 1); // the entry exists, every path has run once
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = limiter.Acquire(id, rate, quota, 1);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}

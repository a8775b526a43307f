using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// Decision latency of the Redis limiter (one Lua script round trip) against the local limiter, measured one call at a
/// time through the public IApiKeyLimiter. Prints p50/p99/max for both, and the Redis/local ratio.
/// </summary>
internal static class RedisLatencyCheck
{
    public static async Task<int> RunAsync(string configuration, int samples)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApiKeyAuth().AddInMemoryStores().AddRedisRateLimits(configuration, o => o.DecisionTimeout = TimeSpan.FromSeconds(5));
        await using var provider = services.BuildServiceProvider();
        var redis = provider.GetRequiredService<IApiKeyLimiter>();
        var local = provider.GetRequiredKeyedService<IApiKeyLimiter>(ApiKeyRateLimitOptions.LocalLimiterServiceKey);
        var rate = new ApiKeyRateLimit(ApiKeyRateLimit.MaxLimit, TimeSpan.FromSeconds(3600));
        var quota = new ApiKeyQuota(ApiKeyQuota.MaxLimit, ApiKeyQuotaPeriod.Month);

        var redisTimes = await MeasureAsync(redis, rate, quota, samples).ConfigureAwait(false);
        var localTimes = await MeasureAsync(local, rate, quota, samples).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"samples per limiter: {samples} (after {samples / 10} warm-up), rate limit + quota, one key, one call at a time"));
        Console.WriteLine("| limiter | p50 | p99 | max |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Print("Redis (Lua script, loopback)", redisTimes);
        Print("local (in-process)", localTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"p50 Redis/local: {Percentile(redisTimes, 0.50) / Percentile(localTimes, 0.50):F0}x"));
        return 0;
    }

    private static async Task<double[]> MeasureAsync(IApiKeyLimiter limiter, ApiKeyRateLimit rate, ApiKeyQuota quota, int samples)
    {
        var key = Guid.NewGuid();
        for (var i = 0; i < samples / 10; i++)
        {
            await limiter.AcquireAsync(key, rate, quota, 1, CancellationToken.None).ConfigureAwait(false);
        }

        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var status = await limiter.AcquireAsync(key, rate, quota, 1, CancellationToken.None).ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            if (!status.IsAllowed)
            {
                throw new InvalidOperationException("A decision was refused; the limits are meant to be out of reach.");
            }
        }

        Array.Sort(times);
        return times;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Print(string name, double[] sorted) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Percentile(sorted, 0.50):F1} µs | {Percentile(sorted, 0.99):F1} µs | {sorted[^1]:F1} µs |"));
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Usage;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- cache-memory [keys]</c>: verifies that many distinct keys once each through
/// the real handler and reports the cache's entry count against <see cref="ApiKeyOptions.CacheSizeLimit"/>
/// and the GC heap growth, split into the cache's share and the last-used tracker's share. The hosted
/// services run as in a host, so the tracker's early flush (at <see cref="ApiKeyOptions.CacheSizeLimit"/> keys
/// waiting) bounds the last-used times too; the store is the in-memory one.
/// </summary>
internal static class CacheMemoryCheck
{
    public static async Task<int> RunAsync(int keyCount)
    {
        // Long TTL: nothing expires during the run, so only the size limit can bound the cache.
        using var services = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.FromHours(1));
        var cache = services.Provider.GetRequiredService<ApiKeyVerificationCache<P2P.ApiKeys.Authentication.VerifiedApiKey>>();
        var tracker = services.Provider.GetRequiredService<ApiKeyUsageTracker>();
        var limit = services.Provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiKeyOptions>>().Value.CacheSizeLimit;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeding {keyCount:N0} keys in the in-memory store..."));
        var keys = new string[keyCount];
        for (var i = 0; i < keyCount; i++)
        {
            keys[i] = await services.CreateKeyAsync().ConfigureAwait(false);
        }

        // One warm-up verification so that JIT and first-use allocations are not counted as growth.
        await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, "X-API-Key", keys[0]).ConfigureAwait(false);
        cache.Clear();
        await tracker.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        var hosted = services.Provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var before = Settle();

        var maxCount = 0;
        var maxPending = 0;
        var refused = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < keyCount; i++)
        {
            if (!await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, "X-API-Key", keys[i]).ConfigureAwait(false))
            {
                refused++;
            }

            maxCount = Math.Max(maxCount, cache.Count);
            maxPending = Math.Max(maxPending, tracker.PendingCount);
        }

        watch.Stop();
        var after = Settle();
        var pending = tracker.PendingCount;
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await tracker.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        var afterFlush = Settle();
        var entries = cache.Count;
        cache.Clear();
        var afterClear = Settle();

        var cacheBytes = afterFlush - afterClear;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine(string.Create(inv, $"| distinct keys verified (each once, all cache misses) | {keyCount:N0} ({refused} refused) |"));
        Console.WriteLine(string.Create(inv, $"| CacheSizeLimit | {limit:N0} |"));
        Console.WriteLine(string.Create(inv, $"| cache entries at the end | {entries:N0} ({(double)entries / limit:P0} of the limit) |"));
        Console.WriteLine(string.Create(inv, $"| most cache entries seen after any request | {maxCount:N0} |"));
        Console.WriteLine(string.Create(inv, $"| GC heap growth over the run (after full GC) | {(after - before) / 1024.0 / 1024.0:F2} MiB |"));
        Console.WriteLine(string.Create(inv, $"| of which the cache | {cacheBytes / 1024.0 / 1024.0:F2} MiB ({(entries == 0 ? 0 : cacheBytes / entries):N0} B per entry) |"));
        Console.WriteLine(string.Create(inv, $"| of which last-used times waiting for the flush ({pending:N0} keys) | {(after - afterFlush) / 1024.0 / 1024.0:F2} MiB |"));
        Console.WriteLine(string.Create(inv, $"| most last-used times waiting for a flush after any request (early flush at CacheSizeLimit) | {maxPending:N0} |"));
        Console.WriteLine(string.Create(inv, $"| mean time per cache-miss verification (in-memory store, incl. trims) | {watch.Elapsed.TotalMicroseconds / keyCount:F1} µs |"));
        return entries <= limit && maxCount <= limit && refused == 0 ? 0 : 1;
    }

    private static long Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

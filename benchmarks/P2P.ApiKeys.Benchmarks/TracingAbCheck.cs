using System.Diagnostics;
using System.Globalization;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// <c>tracing-ab</c>: the same question as <see cref="TracingBenchmarks"/> for a busy shared machine, where
/// BenchmarkDotNet's per-benchmark timings drift with the load of other processes. Batches of authentications
/// through the real handler alternate between "nobody listens" and "a listener samples every P2P.ApiKeys span",
/// in rotated order, many rounds; each round gives a ratio, and the median ratio is printed (with the quartiles),
/// for the cached path and for a cache miss.
/// </summary>
internal static class TracingAbCheck
{
    private const string Header = "X-API-Key";

    public static async Task<int> RunAsync(int rounds, int batch)
    {
        using var cached = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.FromHours(1));
        using var uncached = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.Zero);
        var key = await cached.CreateKeyAsync().ConfigureAwait(false);
        var uncachedKey = await uncached.CreateKeyAsync().ConfigureAwait(false);
        var spans = 0;

        // The first line is a control: both batches without a listener, so its spread is the machine's, not tracing's.
        foreach (var (name, services, apiKey, control) in new[] { ("control (cached, nobody / nobody)", cached, key, true), ("cached", cached, key, false), ("miss", uncached, uncachedKey, false) })
        {
            // Warm-up of both variants.
            await BatchAsync(services, apiKey, batch, listen: false).ConfigureAwait(false);
            await BatchAsync(services, apiKey, batch, listen: true).ConfigureAwait(false);
            var ratios = new List<double>(rounds);
            var allocated = new long[2];
            for (var round = 0; round < rounds; round++)
            {
                var listenFirst = round % 2 == 1;
                var first = await BatchAsync(services, apiKey, batch, listenFirst && !control).ConfigureAwait(false);
                var second = await BatchAsync(services, apiKey, batch, !listenFirst && !control).ConfigureAwait(false);
                var (quiet, listening) = listenFirst ? (second, first) : (first, second);
                ratios.Add(listening.Elapsed.TotalSeconds / quiet.Elapsed.TotalSeconds);
                allocated[0] += quiet.Allocated;
                allocated[1] += listening.Allocated;
            }

            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: listening / nobody = {ratios[rounds / 2]:0.000} (quartiles {ratios[rounds / 4]:0.000}-{ratios[3 * rounds / 4]:0.000}, {rounds} rounds of {batch}); " +
                $"bytes per authentication: nobody {allocated[0] / (double)(rounds * batch):0}, listening {allocated[1] / (double)(rounds * batch):0}"));
        }

        return 0;

        async Task<(TimeSpan Elapsed, long Allocated)> BatchAsync(BenchmarkServices services, string apiKey, int count, bool listen)
        {
            using var listener = listen
                ? new ActivityListener
                {
                    ShouldListenTo = source => source.Name == ApiKeyDiagnostics.ActivitySourceName,
                    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                    ActivityStopped = _ => spans++,
                }
                : null;
            if (listener is not null)
            {
                ActivitySource.AddActivityListener(listener);
            }

            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                if (!await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, apiKey).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("A valid key was refused.");
                }
            }

            return (watch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
        }
    }
}

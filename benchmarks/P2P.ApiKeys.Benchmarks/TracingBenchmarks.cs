using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// What the <c>P2P.ApiKeys</c> activity source costs (issue 26), through the real handler as Kestrel drives it. Each
/// benchmark runs in its own process; the "listening" ones first attach a listener that samples every span of the
/// source as OpenTelemetry's AlwaysOn sampler does. A cached verification has no span whether anyone listens or not:
/// its ratio must be 1.00 within the error and its allocation unchanged. A cache miss has one span
/// (<c>p2p.api_key.store.lookup</c>) when someone listens, and none otherwise.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TracingBenchmarks
{
    private const string Header = "X-API-Key";

    private BenchmarkServices _cached = null!;
    private BenchmarkServices _uncached = null!;
    private ActivityListener? _listener;
    private string _key = "";
    private string _uncachedKey = "";
    private int _spans;

    [GlobalSetup(Targets = [nameof(CachedNobodyListens), nameof(MissNobodyListens)])]
    public void Setup()
    {
        _cached = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.FromHours(1));
        _uncached = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.Zero); // every verification is a store lookup
        _key = _cached.CreateKeyAsync().GetAwaiter().GetResult();
        _uncachedKey = _uncached.CreateKeyAsync().GetAwaiter().GetResult();
        if (!_cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _key).GetAwaiter().GetResult()
            || !_uncached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _uncachedKey).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("Benchmark set-up failed: a valid key was refused.");
        }
    }

    [GlobalSetup(Targets = [nameof(CachedListening), nameof(MissListening)])]
    public void SetupListening()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiKeyDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => _spans++,
        };
        ActivitySource.AddActivityListener(_listener);
        Setup();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _cached.Dispose();
        _uncached.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cached, nobody listens")]
    [BenchmarkCategory("Cached")]
    public Task<bool> CachedNobodyListens() => _cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _key);

    [Benchmark(Description = "cached, P2P.ApiKeys sampled")]
    [BenchmarkCategory("Cached")]
    public Task<bool> CachedListening() => _cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _key);

    [Benchmark(Baseline = true, Description = "miss, nobody listens")]
    [BenchmarkCategory("Miss")]
    public Task<bool> MissNobodyListens() => _uncached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _uncachedKey);

    [Benchmark(Description = "miss, P2P.ApiKeys sampled (one span)")]
    [BenchmarkCategory("Miss")]
    public Task<bool> MissListening() => _uncached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _uncachedKey);
}

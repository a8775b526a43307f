using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// The cost of the usage history on the hot path: a cached key verified by the real <see cref="ApiKeyVerifier"/> and the
/// seam's <c>allowed</c> outcome published to every observer, as the limit step does, with the usage history enabled
/// (the default) and disabled (the baseline, same run). The request has a client address, so the sketch is updated too.
/// </summary>
[MemoryDiagnoser]
public class UsageCountingBenchmarks
{
    private BenchmarkServices _with = null!;
    private BenchmarkServices _without = null!;
    private Path _withPath = null!;
    private Path _withoutPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        _with = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.FromHours(1));
        _without = BenchmarkServices.Create(
            o => o.CacheTtl = TimeSpan.FromHours(1),
            (services, builder) =>
            {
                builder.AddInMemoryStores();
                services.Configure<ApiKeyUsageHistoryOptions>(o => o.Enabled = false);
            });
        _withPath = new Path(_with);
        _withoutPath = new Path(_without);
        if (!_withPath.Run() || !_withoutPath.Run())
        {
            throw new InvalidOperationException("Benchmark set-up failed: the key was refused.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _with.Dispose();
        _without.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cached key verified + allowed published, usage history off")]
    public bool Without() => _withoutPath.Run();

    [Benchmark(Description = "cached key verified + allowed published, usage history on")]
    public bool With() => _withPath.Run();

    private sealed class Path
    {
        private readonly ApiKeyVerifier _verifier;
        private readonly ApiKeyOutcomeObservers _observers;
        private readonly TimeProvider _time;
        private readonly DefaultHttpContext _context = new();
        private readonly string _key;

        public Path(BenchmarkServices services)
        {
            _verifier = services.Provider.GetRequiredService<ApiKeyVerifier>();
            _observers = services.Provider.GetRequiredService<ApiKeyOutcomeObservers>();
            _time = services.Provider.GetRequiredService<TimeProvider>();
            _key = services.CreateKeyAsync().GetAwaiter().GetResult();
            _context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        }

        public bool Run()
        {
            // A cached key is verified synchronously: the ValueTask is complete.
            var pending = _verifier.VerifyAsync(PresentedApiKey.One(_key, 0, _key.Length), _context, "bench", default);
            if (!pending.IsCompletedSuccessfully || pending.Result.Key is not { } key)
            {
                return false;
            }

            _observers.Publish(new ApiKeyOutcomeEvent(ApiKeyOutcomes.Of(ApiKeyOutcome.Allowed), _time.GetUtcNow(), key, key.LookupId, _context, limitChecked: true));
            return true;
        }
    }
}

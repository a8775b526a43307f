using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.RateLimiting.Enforcement;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// What a per-key limit adds to a request: the real handler (cached key) and then the limit step that the library's
/// matcher policy places in front of every authorized endpoint (decision, <c>RateLimit</c> fields, the endpoint), as the
/// pipeline runs it. The same key with no limit is the baseline; "decision only" is the local limiter alone. Both
/// requests touch the response headers first, as Kestrel's own header collection always exists.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class RateLimitBenchmarks
{
    private const string Header = "X-API-Key";
    private static readonly RequestDelegate Endpoint = static _ => Task.CompletedTask;

    private BenchmarkServices _services = null!;
    private ApiKeyLimitStep _step = null!;
    private LocalApiKeyLimiter _limiter = null!;
    private readonly ApiKeyRateLimit _rateLimit = new(ApiKeyRateLimit.MaxLimit, TimeSpan.FromSeconds(ApiKeyRateLimit.MaxWindowSeconds));
    private readonly Guid _decisionKey = Guid.NewGuid();
    private string _unlimitedKey = "";
    private string _limitedKey = "";
    private string _gcraKey = "";

    [GlobalSetup]
    public void Setup()
    {
        _services = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.FromHours(1));
        _step = _services.Provider.GetRequiredService<ApiKeyLimitStep>();
        _limiter = (LocalApiKeyLimiter)_services.Provider.GetRequiredKeyedService<IApiKeyLimiter>(ApiKeyRateLimitOptions.LocalLimiterServiceKey);
        _unlimitedKey = _services.CreateKeyAsync("Unlimited").GetAwaiter().GetResult();
        _limitedKey = _services.CreateKeyAsync("Limited").GetAwaiter().GetResult();
        var manager = _services.Provider.GetRequiredService<IApiKeyManager>();
        var limited = manager.ListAsync(new ApiKeyListRequest { Page = 1, PageSize = 10 }).GetAwaiter().GetResult().Value!.Items.Single(k => k.Name == "Limited");
        if (!manager.UpdateAsync(limited.Id, new ApiKeyUpdateRequest { RateLimit = _rateLimit }).GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("Benchmark set-up failed: the rate limit was not stored.");
        }

        _gcraKey = _services.CreateKeyAsync("Gcra").GetAwaiter().GetResult();
        var gcra = manager.ListAsync(new ApiKeyListRequest { Page = 1, PageSize = 10 }).GetAwaiter().GetResult().Value!.Items.Single(k => k.Name == "Gcra");
        var gcraLimit = new ApiKeyRateLimit(ApiKeyRateLimit.MaxLimit, TimeSpan.FromSeconds(1), ApiKeyRateLimitAlgorithm.Gcra, 1_000_000);
        if (!manager.UpdateAsync(gcra.Id, new ApiKeyUpdateRequest { RateLimit = gcraLimit }).GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("Benchmark set-up failed: the GCRA limit was not stored.");
        }

        if (RequestAsync(_unlimitedKey).GetAwaiter().GetResult() != 200 || RequestAsync(_limitedKey).GetAwaiter().GetResult() != 200
            || RequestAsync(_gcraKey).GetAwaiter().GetResult() != 200)
        {
            throw new InvalidOperationException("Benchmark set-up failed: a valid key was refused.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "handler + limit step: key without limit")]
    [BenchmarkCategory("Request")]
    public Task<int> Unlimited() => RequestAsync(_unlimitedKey);

    [Benchmark(Description = "handler + limit step: key with a fixed-window rate limit (admitted, headers written)")]
    [BenchmarkCategory("Request")]
    public Task<int> Limited() => RequestAsync(_limitedKey);

    [Benchmark(Description = "handler + limit step: key with a GCRA rate limit (admitted, headers written)")]
    [BenchmarkCategory("Request")]
    public Task<int> Gcra() => RequestAsync(_gcraKey);

    [Benchmark(Baseline = true, Description = "local limiter decision (admitted)")]
    [BenchmarkCategory("Decision")]
    public bool Decision()
    {
        var pending = _limiter.AcquireAsync(_decisionKey, _rateLimit, null, 1, CancellationToken.None);
        return pending.IsCompletedSuccessfully && pending.Result.IsAllowed; // the local limiter always completes synchronously
    }

    /// <summary>One request: scope, HttpContext, authentication through IAuthenticationService, then the limit step and the endpoint.</summary>
    private async Task<int> RequestAsync(string key)
    {
        var scope = _services.Provider.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Headers[Header] = key;
            var authentication = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
            var result = await authentication.AuthenticateAsync(context, ApiKeyDefaults.AuthenticationScheme).ConfigureAwait(false);
            context.User = result.Principal!;
            _ = context.Response.Headers; // Kestrel's response headers always exist; DefaultHttpContext makes them on first use
            await _step.InvokeAsync(context, Endpoint, cost: 1, limitsDisabled: false).ConfigureAwait(false);
            return context.Response.StatusCode;
        }
    }
}

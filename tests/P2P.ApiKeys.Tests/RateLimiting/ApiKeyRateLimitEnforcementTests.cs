using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>Per-key limits on one node, on a real host with a fake clock: exact counts, no sleeps.</summary>
public sealed class ApiKeyRateLimitEnforcementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ApiKeyTestHost> StartAsync(Action<ApiKeyRateLimitOptions>? limits = null) =>
        ApiKeyTestHost.StartAsync(
            configureServices: services => services.Configure<ApiKeyRateLimitOptions>(o => limits?.Invoke(o)),
            mapEndpoints: app =>
            {
                app.MapGet("/free", () => "free").RequireApiKeyScope("p2p:read").DisableApiKeyRateLimit();
                app.MapGet("/heavy", () => "heavy").RequireApiKeyScope("p2p:read").WithApiKeyRateLimitCost(3);
            });

    private static async Task<string> CreateKeyAsync(ApiKeyTestHost host, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota) =>
        (await host.CreateKeyAsync(rateLimit: rateLimit, quota: quota)).Key;

    /// <summary>The host's clock at the start of a 60-second window, so that window arithmetic in the tests is plain.</summary>
    private static void AlignToMinute(ApiKeyTestHost host)
    {
        var now = host.Time.GetUtcNow();
        host.Time.Advance(TimeSpan.FromSeconds(60 - (now.ToUnixTimeSeconds() % 60)));
    }

    [Fact]
    public async Task RateLimit_LimitReached_ExactlyLimitAdmittedThen429UntilWindowEnds()
    {
        await using var host = await StartAsync();
        AlignToMinute(host);
        var key = await CreateKeyAsync(host, new ApiKeyRateLimit(5, TimeSpan.FromSeconds(60)), null);
        host.Time.Advance(TimeSpan.FromSeconds(20));

        for (var i = 1; i <= 5; i++)
        {
            using var allowed = await host.GetAsync("/read", key);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("\"rate\";q=5;w=60", Assert.Single(allowed.Headers.GetValues("RateLimit-Policy")));
            Assert.Equal($"\"rate\";r={5 - i};t=40", Assert.Single(allowed.Headers.GetValues("RateLimit")));
        }

        using var refused = await host.GetAsync("/read", key);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("40", Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.Equal("\"rate\";r=0;t=40", Assert.Single(refused.Headers.GetValues("RateLimit")));
        Assert.Equal(40, problem.GetProperty("retry_after").GetInt64());
        Assert.Equal("https://iana.org/assignments/http-problem-types#quota-exceeded", problem.GetProperty("type").GetString());
        Assert.Equal("Request cannot be satisfied as assigned quota has been exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("rate", Assert.Single(problem.GetProperty("violated-policies").EnumerateArray()).GetString());
        Assert.False(problem.TryGetProperty("limit", out _));
        Assert.DoesNotContain(key, await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        host.Time.Advance(TimeSpan.FromSeconds(39.999));
        using var stillRefused = await host.GetAsync("/read", key);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillRefused.StatusCode);
        Assert.Equal("1", Assert.Single(stillRefused.Headers.GetValues("Retry-After")));

        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        using var nextWindow = await host.GetAsync("/read", key);
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
        Assert.Equal("\"rate\";r=4;t=60", Assert.Single(nextWindow.Headers.GetValues("RateLimit")));
    }

    [Fact]
    public async Task Quota_Exhausted_429WithThePeriodsResetThenAdmittedNextDay()
    {
        await using var host = await StartAsync();
        var key = await CreateKeyAsync(host, null, new ApiKeyQuota(3, ApiKeyQuotaPeriod.Day));
        var midnight = new DateTimeOffset(host.Time.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var toMidnight = (long)(midnight - host.Time.GetUtcNow()).TotalSeconds;

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await host.GetAsync("/read", key);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("\"quota\";q=3;w=86400", Assert.Single(allowed.Headers.GetValues("RateLimit-Policy")));
        }

        using var refused = await host.GetAsync("/read", key);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(toMidnight.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.Equal("quota", Assert.Single(problem.GetProperty("violated-policies").EnumerateArray()).GetString());
        Assert.Contains(midnight.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        host.Time.Advance(midnight - host.Time.GetUtcNow());
        using var nextDay = await host.GetAsync("/read", key);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        Assert.Equal("\"quota\";r=2;t=86400", Assert.Single(nextDay.Headers.GetValues("RateLimit")));
    }

    [Fact]
    public async Task RateLimitAndQuota_RefusedRequests_AreCountedInNeither()
    {
        await using var host = await StartAsync();
        AlignToMinute(host);
        var rateLimit = new ApiKeyRateLimit(2, TimeSpan.FromSeconds(60));
        var quota = new ApiKeyQuota(3, ApiKeyQuotaPeriod.Month);
        var (key, record) = await host.CreateKeyAsync(rateLimit: rateLimit, quota: quota);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await host.GetAsync("/read", key);
            statuses.Add(response.StatusCode);
        }

        // Two admitted, three refused by the rate limit: the quota counted only the two.
        var limiter = host.Services.GetRequiredService<IApiKeyLimiter>();
        var status = await limiter.GetStatusAsync(record.Id, rateLimit, quota, Ct);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, status.RateLimitUsed);
        Assert.Equal(2, status.QuotaUsed);

        host.Time.Advance(TimeSpan.FromSeconds(60));
        using var third = await host.GetAsync("/read", key);
        using var overQuota = await host.GetAsync("/read", key);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(overQuota, HttpStatusCode.TooManyRequests);
        Assert.Equal("quota", Assert.Single(problem.GetProperty("violated-policies").EnumerateArray()).GetString());
        Assert.Equal("\"rate\";q=2;w=60, \"quota\";q=3;w=2678400", Assert.Single(overQuota.Headers.GetValues("RateLimit-Policy")));

        // The quota refusal did not use the rate limit either.
        status = await limiter.GetStatusAsync(record.Id, rateLimit, quota, Ct);
        Assert.Equal(1, status.RateLimitUsed);
        Assert.Equal(3, status.QuotaUsed);
    }

    [Fact]
    public async Task Endpoint_OptedOut_NeitherLimitedNorCountedNorGivenHeaders()
    {
        await using var host = await StartAsync();
        var key = await CreateKeyAsync(host, new ApiKeyRateLimit(1, TimeSpan.FromSeconds(60)), null);

        for (var i = 0; i < 3; i++)
        {
            using var free = await host.GetAsync("/free", key);
            Assert.Equal(HttpStatusCode.OK, free.StatusCode);
            Assert.False(free.Headers.Contains("RateLimit"));
        }

        using var limited = await host.GetAsync("/read", key);
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
    }

    [Fact]
    public async Task Endpoint_WithCost_CountsItsWeight()
    {
        await using var host = await StartAsync();
        AlignToMinute(host);
        var key = await CreateKeyAsync(host, new ApiKeyRateLimit(5, TimeSpan.FromSeconds(60)), null);

        using var first = await host.GetAsync("/heavy", key);
        using var second = await host.GetAsync("/heavy", key);
        using var light = await host.GetAsync("/read", key);
        using var light2 = await host.GetAsync("/read", key);
        using var light3 = await host.GetAsync("/read", key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"rate\";r=2;t=60", Assert.Single(first.Headers.GetValues("RateLimit")));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode); // 3 + 3 > 5, and nothing counted
        Assert.Equal(HttpStatusCode.OK, light.StatusCode);
        Assert.Equal(HttpStatusCode.OK, light2.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, light3.StatusCode);
    }

    [Fact]
    public async Task HostDefault_KeyWithoutLimits_GetsTheDefault()
    {
        await using var host = await StartAsync(o => o.DefaultRateLimit = new ApiKeyRateLimit(2, TimeSpan.FromSeconds(10)));
        var (key, _) = await host.CreateKeyAsync();
        var own = await CreateKeyAsync(host, new ApiKeyRateLimit(3, TimeSpan.FromSeconds(10)), null);

        var defaultCodes = new List<HttpStatusCode>();
        var ownCodes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var a = await host.GetAsync("/read", key);
            using var b = await host.GetAsync("/read", own);
            defaultCodes.Add(a.StatusCode);
            ownCodes.Add(b.StatusCode);
        }

        Assert.Equal(2, defaultCodes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(3, ownCodes.Count(c => c == HttpStatusCode.OK));
    }

    [Fact]
    public async Task RateLimit_ParallelRequests_AdmitsExactlyTheLimit()
    {
        await using var host = await StartAsync();
        AlignToMinute(host);
        var key = await CreateKeyAsync(host, new ApiKeyRateLimit(20, TimeSpan.FromSeconds(60)), null);

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => host.GetAsync("/read", key), Ct)));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(44, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task KeyWithoutLimits_NoHostDefault_NoHeaders()
    {
        await using var host = await StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        using var response = await host.GetAsync("/read", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("RateLimit-Policy"));
    }

    [Fact]
    public async Task RateLimit_WrongScope_403NotCounted()
    {
        await using var host = await StartAsync();
        AlignToMinute(host);
        var key = await CreateKeyAsync(host, new ApiKeyRateLimit(1, TimeSpan.FromSeconds(60)), null);

        using var forbidden = await host.GetAsync("/write", key);
        using var allowed = await host.GetAsync("/read", key);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task LocalLimiter_100000IdleKeys_AreSweptOnceTheirWindowsEnd()
    {
        await using var host = await StartAsync();
        var limiter = (LocalApiKeyLimiter)host.Services.GetRequiredKeyedService<IApiKeyLimiter>(ApiKeyRateLimitOptions.LocalLimiterServiceKey);
        var rateLimit = new ApiKeyRateLimit(10, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 100_000; i++)
        {
            var status = await limiter.AcquireAsync(Guid.NewGuid(), rateLimit, null, 1, Ct);
            Assert.True(status.IsAllowed);
        }

        Assert.Equal(100_000, limiter.TrackedKeys);

        // The sweep timer runs on the host's clock: advancing it past the windows and the sweep interval empties the table.
        host.Time.Advance(LocalApiKeyLimiter.SweepInterval);

        Assert.Equal(0, limiter.TrackedKeys);
    }

    [Fact]
    public async Task LocalLimiter_KeyWithQuota_KeptUntilItsPeriodEnds()
    {
        await using var host = await StartAsync();
        var limiter = (LocalApiKeyLimiter)host.Services.GetRequiredKeyedService<IApiKeyLimiter>(ApiKeyRateLimitOptions.LocalLimiterServiceKey);
        var quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Day);
        var id = Guid.NewGuid();
        await limiter.AcquireAsync(id, null, quota, 4, Ct);

        host.Time.Advance(LocalApiKeyLimiter.SweepInterval);
        Assert.Equal(1, limiter.TrackedKeys);
        Assert.Equal(4, (await limiter.GetStatusAsync(id, null, quota, Ct)).QuotaUsed);

        host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, limiter.TrackedKeys);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HostResultHandler_RegisteredBeforeOrAfterOurs_LimitsStillApplyAndTheHostsHandlerRuns(bool registeredFirst)
    {
        void AddHostHandler(IServiceCollection services) => services.AddSingleton<IAuthorizationMiddlewareResultHandler, HostResultHandler>();
        await using var host = await ApiKeyTestHost.StartAsync(
            configureServices: registeredFirst ? null : AddHostHandler,
            configureServicesFirst: registeredFirst ? AddHostHandler : null);
        AlignToMinute(host);
        var key = await CreateKeyAsync(host, new ApiKeyRateLimit(2, TimeSpan.FromSeconds(60)), null);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await host.GetAsync("/read", key));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], responses.Select(r => r.StatusCode));
        Assert.All(responses, r => Assert.Equal("yes", Assert.Single(r.Headers.GetValues(HostResultHandler.Header))));
        Assert.IsType<HostResultHandler>(host.Services.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        responses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task OnRejected_Set_WritesTheHostsAnswerWithStatusAndHeadersAlreadySet()
    {
        ApiKeyRateLimitRejectedContext? seen = null;
        await using var host = await StartAsync(o => o.OnRejected = async (context, ct) =>
        {
            seen = context;
            await context.HttpContext.Response.WriteAsync("slow down", ct);
        });
        AlignToMinute(host);
        var (key, record) = await host.CreateKeyAsync(rateLimit: new ApiKeyRateLimit(1, TimeSpan.FromSeconds(60)));

        using var allowed = await host.GetAsync("/read", key);
        using var refused = await host.GetAsync("/read", key);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("slow down", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal("60", Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.Equal("\"rate\";r=0;t=60", Assert.Single(refused.Headers.GetValues("RateLimit")));
        Assert.Equal(record.Id, seen!.KeyId);
        Assert.Equal(ApiKeyLimitKind.RateLimit, seen.Status.RejectedBy);
        Assert.Equal(TimeSpan.FromSeconds(60), seen.RetryAfter);
    }

    /// <summary>A host's own result handler (as a host that shapes its 401/403 bodies registers), marking each answer it saw.</summary>
    private sealed class HostResultHandler : IAuthorizationMiddlewareResultHandler
    {
        public const string Header = "X-Host-Result-Handler";

        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            context.Response.Headers[Header] = "yes";
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}

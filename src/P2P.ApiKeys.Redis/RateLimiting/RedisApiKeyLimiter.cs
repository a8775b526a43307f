using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.RateLimiting;
using StackExchange.Redis;

namespace P2P.ApiKeys.Redis;

/// <summary>
/// Per-key limits shared by every node: one Lua script per decision, atomic in Redis and timed by Redis's clock.
/// While Redis cannot answer (not connected yet, down, or slower than <see cref="RedisRateLimitOptions.DecisionTimeout"/>)
/// the node decides with the in-process limiter: logged once per outage, counted in
/// <c>p2p.apikeys.rate_limit.fallbacks</c>, and Redis is used again as soon as it answers. As an
/// <see cref="IHealthCheck"/> it reports that state to the rate-limiter check of <c>AddApiKeyHealthChecks</c>.
/// </summary>
internal sealed class RedisApiKeyLimiter : IApiKeyLimiter, IHealthCheck, IAsyncDisposable
{
    public const string FallbacksName = "p2p.apikeys.rate_limit.fallbacks";

    private readonly RedisRateLimitOptions _options;
    private readonly IApiKeyLimiter _local;
    private readonly ILogger _logger;
    private readonly Counter<long> _fallbacks;
    private readonly Task<IConnectionMultiplexer> _connection;
    private int _fallingBack;

    public RedisApiKeyLimiter(
        IOptions<RedisRateLimitOptions> options,
        [FromKeyedServices(ApiKeyRateLimitOptions.LocalLimiterServiceKey)] IApiKeyLimiter local,
        IServiceProvider services,
        IMeterFactory meterFactory,
        ILogger<RedisApiKeyLimiter> logger)
    {
        _options = options.Value;
        _local = local;
        _logger = logger;
        _fallbacks = meterFactory.Create("P2P.ApiKeys").CreateCounter<long>(
            FallbacksName, unit: "{decision}", description: "Rate-limit decisions made by the local limiter because Redis could not answer.");
        if (_options.Configuration is { } configuration)
        {
            var redis = ConfigurationOptions.Parse(configuration);
            redis.AbortOnConnectFail = false; // start while Redis is down; the multiplexer connects when it is back
            _connection = ConnectAsync(redis);
        }
        else
        {
            _connection = Task.FromResult(services.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
                "AddRedisRateLimits needs a configuration string, or an IConnectionMultiplexer registered in the service collection."));
        }

        async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions redis) =>
            await ConnectionMultiplexer.ConnectAsync(redis).ConfigureAwait(false);
    }

    /// <summary>Whether the last decision was made locally because Redis could not answer.</summary>
    internal bool IsFallingBack => Volatile.Read(ref _fallingBack) == 1;

    public ValueTask<ApiKeyLimitStatus> AcquireAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        return DecideAsync(keyId, rateLimit, quota, cost, acquire: true, cancellationToken);
    }

    public ValueTask<ApiKeyLimitStatus> GetStatusAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, CancellationToken cancellationToken) =>
        DecideAsync(keyId, rateLimit, quota, cost: 1, acquire: false, cancellationToken);

    /// <summary>Deletes the budget's hash in Redis and clears this node's fallback count of it.</summary>
    public async ValueTask ResetAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await _local.ResetAsync(keyId, cancellationToken).ConfigureAwait(false);
        var connection = await _connection.WaitAsync(cancellationToken).ConfigureAwait(false);
        await connection.GetDatabase().KeyDeleteAsync(_options.KeyPrefix + keyId.ToString("N")).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ApiKeyLimitStatus> DecideAsync(
        Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost, bool acquire, CancellationToken cancellationToken)
    {
        if (rateLimit is null && quota is null)
        {
            return default;
        }

        // The first requests wait (at most the decision timeout) for the first connection; after that, a node that
        // is not connected decides locally at once, so no request waits for a timeout during an outage.
        if (!_connection.IsCompleted)
        {
            try
            {
                await _connection.WaitAsync(_options.DecisionTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or RedisException)
            {
                return await FallBackAsync(ex, keyId, rateLimit, quota, cost, acquire, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected)
        {
            return await FallBackAsync(null, keyId, rateLimit, quota, cost, acquire, cancellationToken).ConfigureAwait(false);
        }

        using var activity = RedisActivity.StartRateLimit(keyId);
        RedisResult result;
        try
        {
            result = await _connection.Result.GetDatabase().ScriptEvaluateAsync(
                    RedisLimiterScript.Source,
                    [(RedisKey)(_options.KeyPrefix + keyId.ToString("N"))],
                    Arguments(rateLimit, quota, cost, acquire))
                .WaitAsync(_options.DecisionTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // A timed-out script may still run in Redis: that request is then counted there and here. As in any
            // outage, the local limiter alone decides it.
            RedisActivity.Fail(activity, ex);
            activity?.SetTag("p2p.api_key.outcome", "fallback");
            return await FallBackAsync(ex, keyId, rateLimit, quota, cost, acquire, cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _fallingBack, 0) == 1)
        {
            RedisRateLimitLog.Restored(_logger);
        }

        var values = (RedisResult[])result!;
        activity?.SetTag("p2p.api_key.outcome", (ApiKeyLimitKind)(int)values[0] switch
        {
            ApiKeyLimitKind.None => "allowed",
            ApiKeyLimitKind.RateLimit => "rate_limited",
            _ => "quota_exhausted",
        });
        return Status(values, 0);
    }

    private static RedisValue[] Arguments(ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost, bool acquire) =>
    [
        rateLimit?.Limit ?? 0,
        rateLimit is null ? 0 : (long)rateLimit.Window.TotalMilliseconds,
        quota?.Limit ?? 0,
        quota?.Period switch { ApiKeyQuotaPeriod.Day => "d", ApiKeyQuotaPeriod.Week => "w", _ => "m" },
        cost,
        acquire ? "1" : "0",
        rateLimit?.Algorithm == ApiKeyRateLimitAlgorithm.Gcra ? "g" : "f",
        rateLimit?.Burst ?? 0,
        quota?.AnchorDay ?? 1,
    ];

    private static ApiKeyLimitStatus Status(RedisResult[] values, int at) => new(
        (ApiKeyLimitKind)(int)values[at],
        (long)values[at + 1],
        TimeSpan.FromMilliseconds((long)values[at + 2]),
        (long)values[at + 3],
        TimeSpan.FromMilliseconds((long)values[at + 4]));

    /// <summary>
    /// The key's budget and its owner's in one script call: both checked, both counted only if the request fits both.
    /// While Redis cannot answer, the local limiter decides both (as for one budget).
    /// </summary>
    public async ValueTask<ApiKeyBudgetStatus> AcquireAsync(
        Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, Guid ownerBudgetId, ApiKeyRateLimit? ownerRateLimit, ApiKeyQuota? ownerQuota, int cost, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        if (ownerRateLimit is null && ownerQuota is null)
        {
            return new ApiKeyBudgetStatus(await AcquireAsync(keyId, rateLimit, quota, cost, cancellationToken).ConfigureAwait(false), default);
        }

        if (rateLimit is null && quota is null)
        {
            return new ApiKeyBudgetStatus(default, await AcquireAsync(ownerBudgetId, ownerRateLimit, ownerQuota, cost, cancellationToken).ConfigureAwait(false));
        }

        if (!_connection.IsCompleted)
        {
            try
            {
                await _connection.WaitAsync(_options.DecisionTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or RedisException)
            {
                return await FallBackPairAsync(ex, keyId, rateLimit, quota, ownerBudgetId, ownerRateLimit, ownerQuota, cost, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected)
        {
            return await FallBackPairAsync(null, keyId, rateLimit, quota, ownerBudgetId, ownerRateLimit, ownerQuota, cost, cancellationToken).ConfigureAwait(false);
        }

        using var activity = RedisActivity.StartRateLimit(keyId);
        RedisResult result;
        try
        {
            result = await _connection.Result.GetDatabase().ScriptEvaluateAsync(
                    RedisLimiterScript.Source,
                    [(RedisKey)(_options.KeyPrefix + keyId.ToString("N")), (RedisKey)(_options.KeyPrefix + ownerBudgetId.ToString("N"))],
                    [.. Arguments(rateLimit, quota, cost, acquire: true), .. Arguments(ownerRateLimit, ownerQuota, cost, acquire: true)])
                .WaitAsync(_options.DecisionTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            RedisActivity.Fail(activity, ex);
            activity?.SetTag("p2p.api_key.outcome", "fallback");
            return await FallBackPairAsync(ex, keyId, rateLimit, quota, ownerBudgetId, ownerRateLimit, ownerQuota, cost, cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _fallingBack, 0) == 1)
        {
            RedisRateLimitLog.Restored(_logger);
        }

        var values = (RedisResult[])result!;
        var status = new ApiKeyBudgetStatus(Status(values, 0), Status(values, 5));
        activity?.SetTag("p2p.api_key.outcome", status.IsAllowed ? "allowed"
            : (status.Key.IsAllowed ? status.Owner.RejectedBy : status.Key.RejectedBy) == ApiKeyLimitKind.RateLimit ? "rate_limited" : "quota_exhausted");
        return status;
    }

    private ValueTask<ApiKeyBudgetStatus> FallBackPairAsync(
        Exception? failure, Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, Guid ownerBudgetId, ApiKeyRateLimit? ownerRateLimit, ApiKeyQuota? ownerQuota, int cost, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _fallingBack, 1) == 0)
        {
            RedisRateLimitLog.FellBack(_logger, failure);
        }

        _fallbacks.Add(1);
        return _local.AcquireAsync(keyId, rateLimit, quota, ownerBudgetId, ownerRateLimit, ownerQuota, cost, cancellationToken);
    }

    private ValueTask<ApiKeyLimitStatus> FallBackAsync(
        Exception? failure, Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost, bool acquire, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _fallingBack, 1) == 0)
        {
            RedisRateLimitLog.FellBack(_logger, failure);
        }

        if (!acquire)
        {
            return _local.GetStatusAsync(keyId, rateLimit, quota, cancellationToken);
        }

        _fallbacks.Add(1);
        return _local.AcquireAsync(keyId, rateLimit, quota, cost, cancellationToken);
    }

    /// <summary>
    /// Redis answers a <c>PING</c> within the decision timeout and the last decision was made in Redis: healthy.
    /// Redis answers but the last decision fell back (a timeout, a script error): degraded, until a decision works
    /// again. Not connected or no answer: the registration's failure status, since each node now counts alone.
    /// </summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var down = $"Redis does not answer: per-key limits are counted on this node only, so all nodes together admit up to their number times each limit.";
        if (!_connection.IsCompletedSuccessfully || !_connection.Result.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, down, _connection.Exception?.InnerException);
        }

        try
        {
            await _connection.Result.GetDatabase().PingAsync().WaitAsync(_options.DecisionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, down, ex);
        }

        return IsFallingBack
            ? HealthCheckResult.Degraded("Redis answers again, but the last rate-limit decision fell back to this node's count (Redis slower than the decision timeout, or it just came back).")
            : HealthCheckResult.Healthy("Per-key limits are counted in Redis.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_options.Configuration is not null && _connection.IsCompletedSuccessfully)
        {
            await _connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// The in-process <see cref="IApiKeyLimiter"/>: exact on one node, allocation free on every decision. Each node
/// counts alone, so with several nodes and no shared limiter a key gets up to its limit on every node.
/// </summary>
internal sealed class LocalApiKeyLimiter : IApiKeyLimiter, IDisposable
{
    /// <summary>How often partitions whose windows are over are dropped.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly LimitCounterTable<Guid> _counters = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    public LocalApiKeyLimiter(TimeProvider time)
    {
        _time = time;
        _sweeper = time.CreateTimer(static state => ((LocalApiKeyLimiter)state!).Sweep(), this, SweepInterval, SweepInterval);
    }

    /// <summary>Keys currently holding counters.</summary>
    internal int TrackedKeys => _counters.Count;

    public ValueTask<ApiKeyLimitStatus> AcquireAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost, CancellationToken cancellationToken) =>
        new(Acquire(keyId, rateLimit, quota, cost));

    /// <summary>The decision itself, synchronous: what <see cref="AcquireAsync"/> wraps (and the property tests drive).</summary>
    internal ApiKeyLimitStatus Acquire(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        return _counters.Decide(keyId, _time.GetUtcNow(), rateLimit, quota, cost, acquire: true);
    }

    public ValueTask<ApiKeyLimitStatus> GetStatusAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, CancellationToken cancellationToken) =>
        new(_counters.Decide(keyId, _time.GetUtcNow(), rateLimit, quota, cost: 1, acquire: false));

    public ValueTask ResetAsync(Guid keyId, CancellationToken cancellationToken)
    {
        Reset(keyId);
        return ValueTask.CompletedTask;
    }

    internal void Reset(Guid keyId) => _counters.Reset(keyId);

    internal int Sweep() => _counters.Sweep(_time.GetUtcNow());

    public void Dispose() => _sweeper.Dispose();
}

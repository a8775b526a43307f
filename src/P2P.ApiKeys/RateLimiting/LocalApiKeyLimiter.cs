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

    /// <summary>The decision itself, synchronous: what <see cref="AcquireAsync(Guid, ApiKeyRateLimit?, ApiKeyQuota?, int, CancellationToken)"/> wraps (and the property tests drive).</summary>
    internal ApiKeyLimitStatus Acquire(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        return _counters.Decide(keyId, _time.GetUtcNow(), rateLimit, quota, cost, acquire: true);
    }

    public ValueTask<ApiKeyBudgetStatus> AcquireAsync(
        Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, Guid ownerBudgetId, ApiKeyRateLimit? ownerRateLimit, ApiKeyQuota? ownerQuota, int cost, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        var (key, owner) = _counters.DecidePair(keyId, rateLimit, quota, ownerBudgetId, ownerRateLimit, ownerQuota, _time.GetUtcNow(), cost, acquire: true);
        return new(new ApiKeyBudgetStatus(key, owner));
    }

    public ValueTask<ApiKeyLimitStatus> GetStatusAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, CancellationToken cancellationToken) =>
        new(_counters.Decide(keyId, _time.GetUtcNow(), rateLimit, quota, cost: 1, acquire: false));

    public ValueTask ResetAsync(Guid keyId, CancellationToken cancellationToken)
    {
        Reset(keyId);
        return ValueTask.CompletedTask;
    }

    internal void Reset(Guid keyId) => _counters.Reset(keyId);

    /// <summary>Puts a stored quota count back (at start-up).</summary>
    internal void Seed(ApiKeyQuotaCount count) => _counters.SeedQuota(
        count.LineageId, count.PeriodStart.ToUnixTimeMilliseconds(), count.PeriodEnd.ToUnixTimeMilliseconds(), count.Count);

    /// <summary>The quota counts changed since the last call.</summary>
    internal List<ApiKeyQuotaCount> TakeChangedQuotas()
    {
        var changed = new List<(Guid Key, long PeriodStartMs, long PeriodEndMs, long Count)>();
        _counters.TakeChangedQuotas(changed);
        return changed.ConvertAll(static c => new ApiKeyQuotaCount(
            c.Key, DateTimeOffset.FromUnixTimeMilliseconds(c.PeriodStartMs), DateTimeOffset.FromUnixTimeMilliseconds(c.PeriodEndMs), c.Count));
    }

    /// <summary>Marks counts whose write failed as changed again, for the next flush.</summary>
    internal void MarkChanged(IEnumerable<ApiKeyQuotaCount> counts)
    {
        foreach (var count in counts)
        {
            _counters.MarkQuotaChanged(count.LineageId);
        }
    }

    internal int Sweep() => _counters.Sweep(_time.GetUtcNow());

    public void Dispose() => _sweeper.Dispose();
}

using System.Collections.Concurrent;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Owners' limits as the limit step reads them on every request: a bounded cache in front of
/// <see cref="IApiKeyOwnerLimitStore"/>. A change made on this node is seen at once (the manager invalidates the entry);
/// one made on another node within <see cref="TimeToLive"/>. "No limits" is cached too, so owners without a budget
/// cost one dictionary read per request.
/// </summary>
internal sealed class ApiKeyOwnerLimitCache(IApiKeyOwnerLimitStore store, TimeProvider time)
{
    /// <summary>How long an entry is used before the store is read again.</summary>
    internal static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);

    /// <summary>Entries held at most; over it the cache starts again empty.</summary>
    internal const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask<ApiKeyOwnerLimits?> GetAsync(string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(owner, out var entry) && entry.Until > now
            ? new(entry.Limits)
            : LoadAsync(owner, now, cancellationToken);
    }

    public void Invalidate(string owner) => _entries.TryRemove(owner, out _);

    private async ValueTask<ApiKeyOwnerLimits?> LoadAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limits = await store.GetAsync(owner, cancellationToken).ConfigureAwait(false);
        if (limits is { IsEmpty: true })
        {
            limits = null;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[owner] = new Entry(limits, now + TimeToLive);
        return limits;
    }

    private sealed record Entry(ApiKeyOwnerLimits? Limits, DateTimeOffset Until);
}

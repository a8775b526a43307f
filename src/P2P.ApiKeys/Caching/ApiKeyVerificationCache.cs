using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Caching;

/// <summary>
/// Bounded, TTL-based cache of key snapshots (<typeparamref name="TEntry"/>) by lookup id, so that a known key is verified without a store
/// call. Looked up by <see cref="ReadOnlySpan{T}"/> so that a hit allocates no string. The secret is still
/// checked against the cached hash, and expiry and revocation against the clock, on every request.
/// </summary>
/// <remarks>
/// Only keys found in the store are cached (no negative caching), so a key created after a miss is seen at
/// once. A store read that races with an eviction is not cached: every eviction bumps a generation, and an
/// insert made with an older generation removes itself, so a revocation can never be undone by a read that
/// started before it.
/// </remarks>
internal sealed class ApiKeyVerificationCache<TEntry> : IApiKeyVerificationCache
    where TEntry : class, ICachedApiKey
{
    private readonly ConcurrentDictionary<string, TEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TEntry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _ttl;
    private readonly int _sizeLimit;
    private readonly Lock _trimGate = new();
    private long _generation;
    private int _count;

    public ApiKeyVerificationCache(IOptions<ApiKeyOptions> options, TimeProvider timeProvider)
    {
        var value = options.Value;
        _timeProvider = timeProvider;
        _ttl = value.CacheTtl;
        _sizeLimit = Math.Max(1, value.CacheSizeLimit);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Whether caching is on (<see cref="ApiKeyOptions.CacheTtl"/> above zero).</summary>
    public bool IsEnabled => _ttl > TimeSpan.Zero;

    /// <summary>How many snapshots are held; for tests and diagnostics.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Captured before a store read and handed back to <see cref="Set"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(ReadOnlySpan<char> lookupId, DateTimeOffset now, out TEntry? entry)
    {
        if (_bySpan.TryGetValue(lookupId, out entry))
        {
            if (entry.CachedUntil > now)
            {
                return true;
            }

            if (_entries.TryRemove(new KeyValuePair<string, TEntry>(entry.LookupId, entry)))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        entry = null;
        return false;
    }

    /// <summary>Until when an entry read from the store at <paramref name="now"/> may be served.</summary>
    public DateTimeOffset CachedUntil(DateTimeOffset now) => now + _ttl;

    /// <summary>Caches <paramref name="entry"/> unless an eviction happened since <paramref name="generation"/> was read.</summary>
    public void Set(TEntry entry, long generation)
    {
        if (!IsEnabled)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= _sizeLimit)
        {
            Trim();
        }

        while (true)
        {
            if (_entries.TryAdd(entry.LookupId, entry))
            {
                Interlocked.Increment(ref _count);
                break;
            }

            if (_entries.TryGetValue(entry.LookupId, out var existing) && _entries.TryUpdate(entry.LookupId, entry, existing))
            {
                break;
            }
        }

        if (Interlocked.Read(ref _generation) != generation)
        {
            Evict(entry.LookupId, entry);
        }
    }

    public void Remove(string lookupId)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        Interlocked.Increment(ref _generation);
        if (_entries.TryRemove(lookupId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        foreach (var key in _entries.Keys)
        {
            if (_entries.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private void Evict(string lookupId, TEntry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, TEntry>(lookupId, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Makes room: drops stale snapshots first, then arbitrary ones down to 90 % of the limit.</summary>
    private void Trim()
    {
        lock (_trimGate)
        {
            if (Volatile.Read(ref _count) < _sizeLimit)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            foreach (var pair in _entries)
            {
                if (pair.Value.CachedUntil <= now)
                {
                    Evict(pair.Key, pair.Value);
                }
            }

            var target = _sizeLimit - Math.Max(1, _sizeLimit / 10);
            foreach (var pair in _entries)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    break;
                }

                Evict(pair.Key, pair.Value);
            }
        }
    }
}

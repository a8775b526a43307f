using System.Runtime.CompilerServices;

namespace P2P.ApiKeys.Stores;

/// <summary>Thread-safe, process-local <see cref="IApiKeyStore"/> for tests, demos and single-node hosts.</summary>
internal sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, ApiKeyRecord> _byId = [];
    private readonly Dictionary<string, ApiKeyRecord> _byLookupId = new(StringComparer.Ordinal);

    public ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byLookupId.TryGetValue(lookupId, out var key) ? key.Clone() : null);
        }
    }

    public ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryGetValue(id, out var key) ? key.Clone() : null);
        }
    }

    public ValueTask CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            AddLocked(key.Clone());
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult((long)_byId.Count);
        }
    }

    public async IAsyncEnumerable<ApiKeyRecord> ListAsync(int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        cancellationToken.ThrowIfCancellationRequested();
        ApiKeyRecord[] page;
        lock (_gate)
        {
            page = [.. _byId.Values
                .OrderByDescending(k => k.CreatedAt)
                .ThenByDescending(k => k.Id)
                .Skip(skip)
                .Take(take)
                .Select(k => k.Clone())];
        }

        foreach (var key in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<bool> RevokeAsync(Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var key))
            {
                return ValueTask.FromResult(false);
            }

            RevokeLocked(key, revokedAt);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> RotateAsync(Guid id, DateTimeOffset revokedAt, ApiKeyRecord replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var key))
            {
                return ValueTask.FromResult(false);
            }

            AddLocked(replacement.Clone());
            RevokeLocked(key, revokedAt);
            key.ReplacedByKeyId = replacement.Id;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> UpdateLimitsAsync(Guid id, RateLimiting.ApiKeyRateLimit? rateLimit, RateLimiting.ApiKeyQuota? quota, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var key))
            {
                return ValueTask.FromResult(false);
            }

            key.RateLimit = rateLimit;
            key.Quota = quota;
            key.ConcurrencyStamp = Guid.NewGuid().ToString("N");
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lastUsed);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var (id, usedAt) in lastUsed)
            {
                if (_byId.TryGetValue(id, out var key) && (key.LastUsedAt is null || key.LastUsedAt < usedAt))
                {
                    key.LastUsedAt = usedAt;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private void AddLocked(ApiKeyRecord key)
    {
        if (_byId.ContainsKey(key.Id) || _byLookupId.ContainsKey(key.LookupId))
        {
            throw new InvalidOperationException("An API key with the same id or lookup id already exists.");
        }

        _byId.Add(key.Id, key);
        _byLookupId.Add(key.LookupId, key);
    }

    private static void RevokeLocked(ApiKeyRecord key, DateTimeOffset revokedAt)
    {
        if (key.RevokedAt is null || key.RevokedAt > revokedAt)
        {
            key.RevokedAt = revokedAt;
            key.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        }
    }
}

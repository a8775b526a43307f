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

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(TryAddLocked(key.Clone()) ? ApiKeyStoreResult.Success : ApiKeyStoreResult.Duplicate);
        }
    }

    public ValueTask<long> CountAsync(ApiKeyFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult((long)_byId.Values.Count(filter.Matches));
        }
    }

    public async IAsyncEnumerable<ApiKeyRecord> ListAsync(ApiKeyFilter filter, int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        cancellationToken.ThrowIfCancellationRequested();
        ApiKeyRecord[] page;
        lock (_gate)
        {
            page = [.. _byId.Values
                .Where(filter.Matches)
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

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(key.Id, out var stored))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.NotFound);
            }

            if (!string.Equals(stored.ConcurrencyStamp, key.ConcurrencyStamp, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Conflict);
            }

            stored.Name = key.Name;
            stored.Scopes = [.. key.Scopes];
            stored.Metadata = new Dictionary<string, string>(key.Metadata, StringComparer.Ordinal);
            stored.Enabled = key.Enabled;
            stored.ExpiresAt = key.ExpiresAt;
            stored.RevokedAt = key.RevokedAt;
            key.ConcurrencyStamp = stored.ConcurrencyStamp = NewStamp();
            return ValueTask.FromResult(ApiKeyStoreResult.Success);
        }
    }

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(key.Id, out var stored))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.NotFound);
            }

            if (!string.Equals(stored.ConcurrencyStamp, key.ConcurrencyStamp, StringComparison.Ordinal) || stored.ReplacedByKeyId is not null)
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Conflict);
            }

            if (!TryAddLocked(replacement.Clone()))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Duplicate);
            }

            stored.RevokedAt = key.RevokedAt;
            stored.ReplacedByKeyId = replacement.Id;
            key.ReplacedByKeyId = replacement.Id;
            key.ConcurrencyStamp = stored.ConcurrencyStamp = NewStamp();
            return ValueTask.FromResult(ApiKeyStoreResult.Success);
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

    private bool TryAddLocked(ApiKeyRecord key)
    {
        if (_byId.ContainsKey(key.Id) || _byLookupId.ContainsKey(key.LookupId))
        {
            return false;
        }

        _byId.Add(key.Id, key);
        _byLookupId.Add(key.LookupId, key);
        return true;
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}

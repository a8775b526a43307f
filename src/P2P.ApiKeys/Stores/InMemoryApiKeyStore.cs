using System.Runtime.CompilerServices;

namespace P2P.ApiKeys.Stores;

/// <summary>
/// Thread-safe, process-local <see cref="IApiKeyStore"/> for tests, demos and single-node hosts. With the in-memory audit
/// store a change's journal is written under the same lock as the change (<see cref="Journals"/>); with another audit
/// store (or none) the manager treats it as a store without journal and appends the entry after the change.
/// </summary>
internal sealed class InMemoryApiKeyStore(IAdminAuditStore? audit) : IApiKeyJournalStore
{
    private readonly InMemoryAdminAuditStore? _audit = audit as InMemoryAdminAuditStore;

    public InMemoryApiKeyStore()
        : this(null)
    {
    }

    /// <summary>Whether journals written with changes reach the audit trail (the audit store is the in-memory one).</summary>
    internal bool Journals => _audit is not null;

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

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        CreateCore(key, null, cancellationToken);

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return CreateCore(key, journal, cancellationToken);
    }

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return UpdateCore(key, journal, cancellationToken);
    }

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return RotateCore(key, replacement, journal, cancellationToken);
    }

    public async ValueTask AppendAsync(ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        cancellationToken.ThrowIfCancellationRequested();
        ValueTask after;
        lock (_gate)
        {
            after = WriteJournalLocked(journal);
        }

        await after.ConfigureAwait(false);
    }

    private ValueTask<ApiKeyStoreResult> CreateCore(ApiKeyRecord key, ApiKeyChangeJournal? journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        ValueTask after;
        lock (_gate)
        {
            if (!TryAddLocked(key.Clone()))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Duplicate);
            }

            after = WriteJournalLocked(journal);
        }

        return Succeeded(after);
    }

    /// <summary>Writes the journal while the change's lock is held: nothing can see the change without its entry.</summary>
    private ValueTask WriteJournalLocked(ApiKeyChangeJournal? journal)
    {
        if (journal is not null)
        {
            _audit?.Append(journal.Audit);
        }

        return ValueTask.CompletedTask;
    }

    private static async ValueTask<ApiKeyStoreResult> Succeeded(ValueTask after)
    {
        await after.ConfigureAwait(false);
        return ApiKeyStoreResult.Success;
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

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        UpdateCore(key, null, cancellationToken);

    private ValueTask<ApiKeyStoreResult> UpdateCore(ApiKeyRecord key, ApiKeyChangeJournal? journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        ValueTask after;
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
            stored.RateLimit = key.RateLimit;
            stored.Quota = key.Quota;
            key.ConcurrencyStamp = stored.ConcurrencyStamp = NewStamp();
            after = WriteJournalLocked(journal);
        }

        return Succeeded(after);
    }

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken) =>
        RotateCore(key, replacement, null, cancellationToken);

    private ValueTask<ApiKeyStoreResult> RotateCore(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal? journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        ValueTask after;
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
            after = WriteJournalLocked(journal);
        }

        return Succeeded(after);
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

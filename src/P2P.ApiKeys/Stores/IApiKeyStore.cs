namespace P2P.ApiKeys.Stores;

/// <summary>
/// Persistence of API keys. Implementations must be thread-safe; every method honours its
/// <see cref="CancellationToken"/>. Returned records are copies: changing them changes nothing stored.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Finds a key by its public lookup id (ordinal, case-sensitive), or <see langword="null"/>.</summary>
    ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken);

    /// <summary>Finds a key by its record id, or <see langword="null"/>.</summary>
    ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Adds a new key. Throws <see cref="InvalidOperationException"/> if the id or lookup id exists.</summary>
    ValueTask CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Counts all keys, revoked ones included.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Lists keys newest first (by <see cref="ApiKeyRecord.CreatedAt"/>, then id).</summary>
    IAsyncEnumerable<ApiKeyRecord> ListAsync(int skip, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a key at <paramref name="revokedAt"/> (which may lie in the future for a grace period). An
    /// earlier revocation time already stored is kept: revocation is never postponed. Returns
    /// <see langword="false"/> when no key has that id.
    /// </summary>
    ValueTask<bool> RevokeAsync(Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically adds <paramref name="replacement"/> and revokes key <paramref name="id"/> at
    /// <paramref name="revokedAt"/> (never later than an earlier stored revocation), linking the two.
    /// Returns <see langword="false"/>, and writes nothing, when no key has that id.
    /// </summary>
    ValueTask<bool> RotateAsync(Guid id, DateTimeOffset revokedAt, ApiKeyRecord replacement, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the rate limit and quota of key <paramref name="id"/> (<see langword="null"/> removes one, so the host
    /// default applies) in one write that touches only those two fields. Returns <see langword="false"/>, and writes
    /// nothing, when no key has that id.
    /// </summary>
    ValueTask<bool> UpdateLimitsAsync(Guid id, RateLimiting.ApiKeyRateLimit? rateLimit, RateLimiting.ApiKeyQuota? quota, CancellationToken cancellationToken);

    /// <summary>
    /// Records last-used times in one batch. Touches only <see cref="ApiKeyRecord.LastUsedAt"/> and only
    /// moves it forward, so it can never undo a revocation or an expiry.
    /// </summary>
    ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken);
}

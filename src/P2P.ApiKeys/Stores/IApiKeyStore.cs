using P2P.ApiKeys.Management;
namespace P2P.ApiKeys.Stores;

/// <summary>
/// Persistence of API keys. Stores only persist: the rules (validation, which state may change to which) live in
/// <see cref="IApiKeyManager"/>. Implementations must be thread-safe; every method honours its
/// <see cref="CancellationToken"/>. Returned records are copies: changing them changes nothing stored. Expected
/// outcomes (a duplicate, a lost race) are results; an exception means the store itself failed.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Finds a key by its public lookup id (ordinal, case-sensitive), or <see langword="null"/>.</summary>
    ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken);

    /// <summary>Finds a key by its record id, or <see langword="null"/>.</summary>
    ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a new key. <see cref="ApiKeyStoreResult.Duplicate"/>, writing nothing, when a key with the same id or lookup
    /// id exists.
    /// </summary>
    ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Counts the keys that pass <paramref name="filter"/>.</summary>
    ValueTask<long> CountAsync(ApiKeyFilter filter, CancellationToken cancellationToken);

    /// <summary>Lists the keys that pass <paramref name="filter"/>, newest first (by <see cref="ApiKeyRecord.CreatedAt"/>, then id).</summary>
    IAsyncEnumerable<ApiKeyRecord> ListAsync(ApiKeyFilter filter, int skip, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the mutable state of <paramref name="key"/> (<see cref="ApiKeyRecord.Name"/>, <see cref="ApiKeyRecord.Scopes"/>,
    /// <see cref="ApiKeyRecord.Metadata"/>, <see cref="ApiKeyRecord.Enabled"/>, <see cref="ApiKeyRecord.ExpiresAt"/>,
    /// <see cref="ApiKeyRecord.RevokedAt"/>, <see cref="ApiKeyRecord.RateLimit"/>, <see cref="ApiKeyRecord.Quota"/>) in one conditional write: only while the stored
    /// <see cref="ApiKeyRecord.ConcurrencyStamp"/> equals the one of <paramref name="key"/>. On success the store keeps
    /// a new stamp and sets it on <paramref name="key"/>. Never touches the secret, the lookup id or the usage time.
    /// </summary>
    /// <returns><see cref="ApiKeyStoreResult.Success"/>, <see cref="ApiKeyStoreResult.NotFound"/> or <see cref="ApiKeyStoreResult.Conflict"/>.</returns>
    ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically adds <paramref name="replacement"/> and writes <paramref name="key"/>'s <see cref="ApiKeyRecord.RevokedAt"/>
    /// and <see cref="ApiKeyRecord.ReplacedByKeyId"/> (which must be the replacement's id), only while the stored key
    /// has the same <see cref="ApiKeyRecord.ConcurrencyStamp"/> and no replacement yet. Exactly one of several concurrent
    /// rotations of a key wins; the others write nothing. On success the new stamp is set on <paramref name="key"/>.
    /// </summary>
    /// <returns>
    /// <see cref="ApiKeyStoreResult.Success"/>, <see cref="ApiKeyStoreResult.NotFound"/>, <see cref="ApiKeyStoreResult.Conflict"/>
    /// or <see cref="ApiKeyStoreResult.Duplicate"/> (the replacement's id or lookup id exists).
    /// </returns>
    ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken);

    /// <summary>
    /// Records last-used times in one batch. Touches only <see cref="ApiKeyRecord.LastUsedAt"/> and only
    /// moves it forward, so it can never undo a revocation or an expiry.
    /// </summary>
    ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken);
}

namespace P2P.ApiKeys.Stores;

/// <summary>
/// An <see cref="IApiKeyStore"/> that writes each change together with its <see cref="ApiKeyChangeJournal"/> (the audit
/// entry) in one transaction: both or neither. The built-in stores (in-memory, EF Core) are; with a store that is not,
/// the manager appends the audit entry to the <see cref="IAdminAuditStore"/> right after the change instead.
/// </summary>
public interface IApiKeyJournalStore : IApiKeyStore
{
    /// <summary>As <see cref="IApiKeyStore.CreateAsync"/>, writing <paramref name="journal"/> with the key, only on success.</summary>
    /// <param name="key">The new key.</param>
    /// <param name="journal">What the change leaves behind.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>As <see cref="IApiKeyStore.CreateAsync"/>.</returns>
    ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>As <see cref="IApiKeyStore.UpdateAsync"/>, writing <paramref name="journal"/> with the change, only on success.</summary>
    /// <param name="key">The key's new state, with the concurrency stamp it was read with.</param>
    /// <param name="journal">What the change leaves behind.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>As <see cref="IApiKeyStore.UpdateAsync"/>.</returns>
    ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>As <see cref="IApiKeyStore.RotateAsync"/>, writing <paramref name="journal"/> with the rotation, only on success.</summary>
    /// <param name="key">The rotated key, with the concurrency stamp it was read with.</param>
    /// <param name="replacement">The new key.</param>
    /// <param name="journal">What the change leaves behind.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>As <see cref="IApiKeyStore.RotateAsync"/>.</returns>
    ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>Writes a journal that comes with no change to a key (a leak reported, the key left as it is).</summary>
    /// <param name="journal">What to write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask AppendAsync(ApiKeyChangeJournal journal, CancellationToken cancellationToken);
}

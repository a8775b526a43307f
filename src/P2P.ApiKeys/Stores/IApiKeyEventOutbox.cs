namespace P2P.ApiKeys.Stores;

/// <summary>
/// The outbox of key events: rows are added by an <see cref="IApiKeyJournalStore"/> with the change they tell of, then
/// claimed by the dispatchers of all nodes. A claim is a lease: of several nodes claiming at once each row goes to one
/// (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>; elsewhere a conditional update of the lease columns); a lease that runs
/// out (a node that died mid-delivery) makes the row claimable again, so delivery is at least once.
/// </summary>
public interface IApiKeyEventOutbox
{
    /// <summary>
    /// Claims up to <paramref name="max"/> pending rows whose next attempt is due and whose lease (if any) ran out, for
    /// <paramref name="node"/> until <paramref name="leaseUntil"/>, oldest first.
    /// </summary>
    /// <param name="node">The claiming node's name.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">When the lease runs out.</param>
    /// <param name="max">The most rows to claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed rows (copies).</returns>
    Task<IReadOnlyList<ApiKeyEventRecord>> ClaimAsync(string node, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcome of a claimed row's delivery: <see cref="ApiKeyEventRecord.DeliveredAt"/>,
    /// <see cref="ApiKeyEventRecord.FailedAt"/>, or <see cref="ApiKeyEventRecord.Attempts"/> and
    /// <see cref="ApiKeyEventRecord.NextAttemptAt"/> for a retry; releases the lease. Only while <paramref name="node"/>
    /// still holds it; <see langword="false"/> otherwise (the lease ran out and another node took the row).
    /// </summary>
    /// <param name="row">The row with its new state.</param>
    /// <param name="node">The node that claimed it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the outcome was recorded.</returns>
    Task<bool> CompleteAsync(ApiKeyEventRecord row, string node, CancellationToken cancellationToken);

    /// <summary>Counts the rows not yet delivered nor failed.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds a row unless one with its id exists: how a time-driven event (<c>api_key.expiring</c>) is recorded exactly once
    /// however many nodes find it due at the same time (the id is derived from what makes it unique).
    /// </summary>
    /// <param name="row">The row.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call added it.</returns>
    Task<bool> TryAddAsync(ApiKeyEventRecord row, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="max"/> rows that were delivered, or marked failed, before <paramref name="before"/>
    /// (oldest first); pending rows are never deleted. The dispatcher calls it in batches after
    /// <see cref="Events.ApiKeyEventOptions.Retention"/>. The default deletes nothing (an outbox that keeps everything).
    /// </summary>
    /// <param name="before">Rows finished before this time go.</param>
    /// <param name="max">The most rows to delete in this call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of rows deleted.</returns>
    Task<int> PruneAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) => Task.FromResult(0);
}

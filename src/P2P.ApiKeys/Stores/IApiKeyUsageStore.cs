namespace P2P.ApiKeys.Stores;

/// <summary>
/// Persistence of usage history: per key, per UTC hour and day, counts by outcome and a sketch of the client
/// addresses. Every node writes its own increments, so a store adds them (never overwrites): no node's requests are
/// lost when several flush the same bucket at once. Implementations must be thread-safe.
/// </summary>
public interface IApiKeyUsageStore
{
    /// <summary>
    /// Adds each increment to its bucket (<see cref="ApiKeyUsageRecord.KeyId"/>, <see cref="ApiKeyUsageRecord.Granularity"/>,
    /// <see cref="ApiKeyUsageRecord.Start"/>), creating the bucket when it does not exist: the counts are added, the
    /// client sketches merged (<see cref="ApiKeyClientSketch.Merge"/>) and <see cref="ApiKeyUsageRecord.Clients"/>
    /// estimated again from the result. Atomic against concurrent writers of the same bucket.
    /// </summary>
    ValueTask AddAsync(IReadOnlyCollection<ApiKeyUsageRecord> increments, CancellationToken cancellationToken);

    /// <summary>The buckets that pass <paramref name="filter"/>, by key id then start, read in one round trip.</summary>
    ValueTask<IReadOnlyList<ApiKeyUsageRecord>> ListAsync(ApiKeyUsageFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> buckets of <paramref name="granularity"/> that start before
    /// <paramref name="before"/>; call again until it returns less than <paramref name="batchSize"/>.
    /// </summary>
    /// <returns>The buckets deleted.</returns>
    ValueTask<int> PruneAsync(ApiKeyUsageGranularity granularity, DateTimeOffset before, int batchSize, CancellationToken cancellationToken);
}

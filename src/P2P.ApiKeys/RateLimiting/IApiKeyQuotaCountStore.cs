namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Where the in-process limiter keeps quota counts across restarts: loaded when the host starts, written back in
/// batches (once per <see cref="ApiKeyRateLimitOptions.QuotaFlushInterval"/> and when the host stops). The Entity
/// Framework Core stores implement it; with the Redis limiter, Redis holds the counts and this store is not used.
/// </summary>
public interface IApiKeyQuotaCountStore
{
    /// <summary>The counts whose period has not ended at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ApiKeyQuotaCount>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="counts"/>, one per lineage, replacing what was stored for it.</summary>
    /// <param name="counts">The counts to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SaveAsync(IReadOnlyCollection<ApiKeyQuotaCount> counts, CancellationToken cancellationToken);
}

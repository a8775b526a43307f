namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Where owners' budgets are kept. The library registers an in-memory store; <c>P2P.ApiKeys.EntityFrameworkCore</c>
/// keeps them in the <c>ApiKeyOwnerLimits</c> table. Change them through <c>IApiKeyOwnerLimits</c>, which audits.
/// </summary>
public interface IApiKeyOwnerLimitStore
{
    /// <summary>The owner's limits, or <see langword="null"/> when the owner has none.</summary>
    /// <param name="owner">The owner's name, as on its keys.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ApiKeyOwnerLimits?> GetAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Replaces the owner's limits; <see langword="null"/> (or no limit at all) removes them.</summary>
    /// <param name="owner">The owner's name, as on its keys.</param>
    /// <param name="limits">The new limits, or <see langword="null"/> to remove them.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(string owner, ApiKeyOwnerLimits? limits, CancellationToken cancellationToken);
}

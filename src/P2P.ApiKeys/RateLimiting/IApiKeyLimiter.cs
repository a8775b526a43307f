namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Decides whether a key may make a request under its rate limit and quota. The library registers an exact
/// in-process limiter; <c>P2P.ApiKeys.Redis</c> replaces it with one shared by every node.
/// </summary>
/// <remarks>
/// A decision is atomic: the request is admitted only if it fits both limits, and then counted in both;
/// a refused request is counted in neither. Nothing admitted is ever given back.
/// </remarks>
public interface IApiKeyLimiter
{
    /// <summary>Admits and counts <paramref name="cost"/> units in the budget <paramref name="keyId"/>, or refuses and counts nothing.</summary>
    /// <param name="keyId">
    /// The budget the decision counts in: the key's <see cref="Stores.ApiKeyRecord.LineageId"/> (the library always passes
    /// the lineage, so a key and its rotated replacements share one budget).
    /// </param>
    /// <param name="rateLimit">The key's rate limit, or <see langword="null"/> for none.</param>
    /// <param name="quota">The key's quota, or <see langword="null"/> for none.</param>
    /// <param name="cost">Units this request costs; at least 1.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    ValueTask<ApiKeyLimitStatus> AcquireAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, int cost, CancellationToken cancellationToken);

    /// <summary>
    /// Admits and counts <paramref name="cost"/> units in the key's budget <paramref name="keyId"/> and in its owner's
    /// budget <paramref name="ownerBudgetId"/> together, or refuses and counts nothing in either: a request must fit both.
    /// </summary>
    /// <param name="keyId">The key's budget: its <see cref="Stores.ApiKeyRecord.LineageId"/>.</param>
    /// <param name="rateLimit">The key's rate limit, or <see langword="null"/> for none.</param>
    /// <param name="quota">The key's quota, or <see langword="null"/> for none.</param>
    /// <param name="ownerBudgetId">The owner's budget, shared by all of the owner's keys (an id derived from the owner's name).</param>
    /// <param name="ownerRateLimit">The owner's rate limit, or <see langword="null"/> for none.</param>
    /// <param name="ownerQuota">The owner's quota, or <see langword="null"/> for none.</param>
    /// <param name="cost">Units this request costs; at least 1.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <exception cref="NotSupportedException">The limiter cannot decide two budgets at once (the default for limiters written before owner budgets existed).</exception>
    ValueTask<ApiKeyBudgetStatus> AcquireAsync(
        Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, Guid ownerBudgetId, ApiKeyRateLimit? ownerRateLimit, ApiKeyQuota? ownerQuota, int cost, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot decide an owner's budget.");

    /// <summary>Reads the current usage of the budget <paramref name="keyId"/> without counting anything.</summary>
    /// <param name="keyId">
    /// The budget the decision counts in: the key's <see cref="Stores.ApiKeyRecord.LineageId"/> (the library always passes
    /// the lineage, so a key and its rotated replacements share one budget).
    /// </param>
    /// <param name="rateLimit">The key's rate limit, or <see langword="null"/> for none.</param>
    /// <param name="quota">The key's quota, or <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ApiKeyLimitStatus> GetStatusAsync(Guid keyId, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, CancellationToken cancellationToken);

    /// <summary>
    /// Clears what budget <paramref name="keyId"/> has used of its rate limit and quota (an administrator's explicit
    /// reset); the next decision starts from zero. Nothing else clears a count before its window or period ends.
    /// </summary>
    /// <param name="keyId">The budget: the key's <see cref="Stores.ApiKeyRecord.LineageId"/>.</param>
    /// <param name="cancellationToken">Cancels the reset.</param>
    /// <exception cref="NotSupportedException">The limiter cannot reset (the default for limiters written before resets existed).</exception>
    ValueTask ResetAsync(Guid keyId, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot reset a budget.");
}

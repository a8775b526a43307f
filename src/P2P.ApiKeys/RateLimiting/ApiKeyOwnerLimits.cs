namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// An owner's budget: a rate limit and a quota shared by all of the owner's keys, checked together with each key's own
/// (a request must fit both; a refused request counts in neither).
/// </summary>
public sealed class ApiKeyOwnerLimits
{
    /// <summary>Creates an owner's limits.</summary>
    /// <param name="rateLimit">The owner's rate limit, or <see langword="null"/> for none.</param>
    /// <param name="quota">The owner's quota, or <see langword="null"/> for none.</param>
    public ApiKeyOwnerLimits(ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota)
    {
        RateLimit = rateLimit;
        Quota = quota;
    }

    /// <summary>The owner's rate limit, or <see langword="null"/> for none.</summary>
    public ApiKeyRateLimit? RateLimit { get; }

    /// <summary>The owner's quota, or <see langword="null"/> for none.</summary>
    public ApiKeyQuota? Quota { get; }

    /// <summary>Whether the owner has no limit at all.</summary>
    public bool IsEmpty => RateLimit is null && Quota is null;
}

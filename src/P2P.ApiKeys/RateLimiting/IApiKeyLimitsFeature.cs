namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Set on the request by the authentication handler once a key is verified: who the key is and its limits, so
/// that enforcement needs no second lookup. The verified cache snapshot implements it, so setting it allocates
/// nothing.
/// </summary>
internal interface IApiKeyLimitsFeature
{
    Guid KeyId { get; }

    string LookupId { get; }

    ApiKeyRateLimit? RateLimit { get; }

    ApiKeyQuota? Quota { get; }
}

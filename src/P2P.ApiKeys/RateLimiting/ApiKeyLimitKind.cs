namespace P2P.ApiKeys.RateLimiting;

/// <summary>Which limit refused a request.</summary>
public enum ApiKeyLimitKind
{
    /// <summary>None: the request was admitted.</summary>
    None = 0,

    /// <summary>The key's rate limit (requests per window).</summary>
    RateLimit = 1,

    /// <summary>The key's quota (requests per calendar day or month).</summary>
    Quota = 2,
}

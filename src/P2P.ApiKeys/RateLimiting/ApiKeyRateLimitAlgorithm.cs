namespace P2P.ApiKeys.RateLimiting;

/// <summary>How a <see cref="ApiKeyRateLimit"/> counts.</summary>
public enum ApiKeyRateLimitAlgorithm
{
    /// <summary>
    /// Fixed windows aligned to the Unix epoch: exact and cheap, but up to twice the limit across a window boundary
    /// (<c>"fixed_window"</c>, the default).
    /// </summary>
    FixedWindow = 0,

    /// <summary>
    /// The generic cell rate algorithm (<c>"gcra"</c>): a steady rate of <c>limit</c> per window with bursts of up to
    /// <see cref="ApiKeyRateLimit.Burst"/>; in every interval of length t at most <c>burst + floor(t × limit / window)</c>.
    /// </summary>
    Gcra = 1,
}

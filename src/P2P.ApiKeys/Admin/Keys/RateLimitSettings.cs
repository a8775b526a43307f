using System.Text.Json.Serialization;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// <c>"rate_limit": {"limit": 100, "window_seconds": 60, "algorithm": "fixed_window" | "gcra", "burst": 150}</c> in key
/// requests and responses (<c>algorithm</c> defaults to <c>fixed_window</c>; <c>burst</c>, GCRA only, to <c>limit</c>).
/// </summary>
public sealed class RateLimitSettings
{
    /// <summary>The number of requests allowed in one window.</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    /// <summary>The length of the window, in seconds.</summary>
    [JsonPropertyName("window_seconds")]
    public long? WindowSeconds { get; init; }

    /// <summary><c>fixed_window</c> (default): fixed windows aligned to the Unix epoch; <c>gcra</c>: a steady rate with bursts.</summary>
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; init; }

    /// <summary>GCRA only: the requests admitted at once after a quiet period (default: <c>limit</c>).</summary>
    [JsonPropertyName("burst")]
    public long? Burst { get; init; }

    internal const string FixedWindowName = "fixed_window";
    internal const string GcraName = "gcra";

    internal static RateLimitSettings? From(ApiKeyRateLimit? limit) =>
        limit is null ? null : new()
        {
            Limit = limit.Limit,
            WindowSeconds = (long)limit.Window.TotalSeconds,
            Algorithm = limit.Algorithm == ApiKeyRateLimitAlgorithm.Gcra ? GcraName : FixedWindowName,
            Burst = limit.Burst,
        };
}

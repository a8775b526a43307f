using System.Text.Json.Serialization;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary><c>"rate_limit": {"limit": 100, "window_seconds": 60}</c> in key requests and responses.</summary>
public sealed class RateLimitSettings
{
    /// <summary>The number of requests allowed in one window.</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    /// <summary>The length of the window, in seconds.</summary>
    [JsonPropertyName("window_seconds")]
    public long? WindowSeconds { get; init; }

    internal static RateLimitSettings? From(ApiKeyRateLimit? limit) =>
        limit is null ? null : new() { Limit = limit.Limit, WindowSeconds = (long)limit.Window.TotalSeconds };
}

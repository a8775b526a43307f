using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>The usage of the limits in force; a limit the key is not under is absent.</summary>
public sealed class ApiKeyUsage
{
    /// <summary>Usage of the rate limit; <see langword="null"/> when the key is not rate-limited.</summary>
    [JsonPropertyName("rate_limit")]
    public LimitUsage? RateLimit { get; init; }

    /// <summary>Usage of the quota; <see langword="null"/> when the key has no quota.</summary>
    [JsonPropertyName("quota")]
    public LimitUsage? Quota { get; init; }
}

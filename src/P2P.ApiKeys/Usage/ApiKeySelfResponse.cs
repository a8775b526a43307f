using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Usage;

/// <summary>What <c>GET /api/keys/self</c> tells a key about itself: never its secret, never another key.</summary>
public sealed class ApiKeySelfResponse
{
    /// <summary>The key's id.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    /// <summary>The key's name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The key's scopes.</summary>
    [JsonPropertyName("scopes")]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When the key expires; <see langword="null"/> if it never does.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When a rotated key stops working (its grace period ends); <see langword="null"/> otherwise.</summary>
    [JsonPropertyName("grace_ends_at")]
    public DateTimeOffset? GraceEndsAt { get; init; }

    /// <summary>The rate limit in force and its use in the current window; <see langword="null"/> without one.</summary>
    [JsonPropertyName("rate_limit")]
    public ApiKeySelfLimit? RateLimit { get; init; }

    /// <summary>The quota in force and its use in the current period; <see langword="null"/> without one.</summary>
    [JsonPropertyName("quota")]
    public ApiKeySelfLimit? Quota { get; init; }

    /// <summary>Today's requests (UTC day) by outcome, this request included.</summary>
    [JsonPropertyName("today")]
    public ApiKeyUsageBucket Today { get; init; } = new();

    /// <summary>The last 7 UTC days, oldest first, today last.</summary>
    [JsonPropertyName("days")]
    public IReadOnlyList<ApiKeyUsageBucket> Days { get; init; } = [];
}

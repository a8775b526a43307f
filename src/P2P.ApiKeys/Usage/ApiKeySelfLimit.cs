using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Usage;

/// <summary>A limit in force on the key (its own or the host default) and how much of it is used now.</summary>
public sealed class ApiKeySelfLimit
{
    /// <summary>Requests allowed per window or period.</summary>
    [JsonPropertyName("limit")]
    public long Limit { get; init; }

    /// <summary>For a rate limit: the window, in seconds.</summary>
    [JsonPropertyName("window_seconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? WindowSeconds { get; init; }

    /// <summary>For a quota: <c>day</c> or <c>month</c> (UTC calendar periods).</summary>
    [JsonPropertyName("period")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Period { get; init; }

    /// <summary>Requests counted in the current window or period.</summary>
    [JsonPropertyName("used")]
    public long Used { get; init; }

    /// <summary>Requests left in the current window or period.</summary>
    [JsonPropertyName("remaining")]
    public long Remaining { get; init; }

    /// <summary>When the current window or period ends.</summary>
    [JsonPropertyName("resets_at")]
    public DateTimeOffset ResetsAt { get; init; }
}

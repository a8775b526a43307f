using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>How much of one limit is used now, against the limit in force (the key's own or the host default).</summary>
public sealed class LimitUsage
{
    /// <summary>The limit in force.</summary>
    [JsonPropertyName("limit")]
    public long Limit { get; init; }

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

using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Usage;

/// <summary>The requests of one bucket (an hour or a day; or a whole range, for a total) by outcome, and its distinct clients.</summary>
public sealed class ApiKeyUsageBucket
{
    /// <summary>The start of the bucket (of the range, for a total), UTC.</summary>
    [JsonPropertyName("start")]
    public DateTimeOffset Start { get; init; }

    /// <summary>Requests admitted by the key's limits: the endpoint ran.</summary>
    [JsonPropertyName("allowed")]
    public long Allowed { get; init; }

    /// <summary>Requests refused by the key's rate limit (429).</summary>
    [JsonPropertyName("rate_limited")]
    public long RateLimited { get; init; }

    /// <summary>Requests refused by the key's quota (429).</summary>
    [JsonPropertyName("quota_exhausted")]
    public long QuotaExhausted { get; init; }

    /// <summary>Requests of the valid key refused for a missing scope (403).</summary>
    [JsonPropertyName("forbidden")]
    public long Forbidden { get; init; }

    /// <summary>Requests of the known key after it was revoked, expired, disabled or its rotation grace ended (401): a client that never switched.</summary>
    [JsonPropertyName("refused")]
    public long Refused { get; init; }

    /// <summary>Distinct client addresses, estimated (HyperLogLog, about 6.5 % standard error; exact for a few dozen).</summary>
    [JsonPropertyName("clients")]
    public long Clients { get; init; }

    /// <summary>Every request counted, whatever its outcome.</summary>
    [JsonIgnore]
    public long Total => Allowed + RateLimited + QuotaExhausted + Forbidden + Refused;
}

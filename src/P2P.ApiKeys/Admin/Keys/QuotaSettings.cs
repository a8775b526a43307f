using System.Text.Json.Serialization;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary><c>"quota": {"limit": 100000, "period": "month"}</c> in key requests and responses.</summary>
public sealed class QuotaSettings
{
    /// <summary>The number of requests allowed in one period.</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    /// <summary>The period: <c>day</c> or <c>month</c>.</summary>
    [JsonPropertyName("period")]
    public string? Period { get; init; }

    internal static QuotaSettings? From(ApiKeyQuota? quota) =>
        quota is null ? null : new() { Limit = quota.Limit, Period = AdminKeyUsage.PeriodName(quota.Period) };
}

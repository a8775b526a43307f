using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary><c>"rate_limit": {"limit": 100, "window_seconds": 60}</c> in key requests and responses.</summary>
internal sealed class RateLimitSettings
{
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    [JsonPropertyName("window_seconds")]
    public long? WindowSeconds { get; init; }

    public static RateLimitSettings? From(ApiKeyRateLimit? limit) =>
        limit is null ? null : new() { Limit = limit.Limit, WindowSeconds = (long)limit.Window.TotalSeconds };
}

/// <summary><c>"quota": {"limit": 100000, "period": "month"}</c> in key requests and responses.</summary>
internal sealed class QuotaSettings
{
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    [JsonPropertyName("period")]
    public string? Period { get; init; }

    public static QuotaSettings? From(ApiKeyQuota? quota) =>
        quota is null ? null : new() { Limit = quota.Limit, Period = AdminKeyLimits.PeriodName(quota.Period) };
}

/// <summary>How much of one limit is used now, against the limit in force (the key's own or the host default).</summary>
internal sealed class LimitUsage
{
    [JsonPropertyName("limit")]
    public long Limit { get; init; }

    [JsonPropertyName("used")]
    public long Used { get; init; }

    [JsonPropertyName("remaining")]
    public long Remaining { get; init; }

    [JsonPropertyName("resets_at")]
    public DateTimeOffset ResetsAt { get; init; }
}

/// <summary>The usage of the limits in force; a limit the key is not under is absent.</summary>
internal sealed class ApiKeyUsage
{
    [JsonPropertyName("rate_limit")]
    public LimitUsage? RateLimit { get; init; }

    [JsonPropertyName("quota")]
    public LimitUsage? Quota { get; init; }
}

/// <summary>Validation of the limit fields of key requests, and the usage shown in key responses.</summary>
internal static class AdminKeyLimits
{
    public static string PeriodName(ApiKeyQuotaPeriod period) => period == ApiKeyQuotaPeriod.Day ? "day" : "month";

    /// <summary>Reads <c>rate_limit</c>; adds an error (<see cref="ApiKeyRules"/>) and returns <see langword="false"/> when it is invalid.</summary>
    public static bool TryRead(RateLimitSettings? contract, Dictionary<string, string[]> errors, out ApiKeyRateLimit? rateLimit)
    {
        rateLimit = null;
        return contract is null || ApiKeyRules.TryCreateRateLimit(contract.Limit, contract.WindowSeconds, errors, out rateLimit);
    }

    /// <summary>Reads <c>quota</c>; adds an error (<see cref="ApiKeyRules"/>) and returns <see langword="false"/> when it is invalid.</summary>
    public static bool TryRead(QuotaSettings? contract, Dictionary<string, string[]> errors, out ApiKeyQuota? quota)
    {
        quota = null;
        return contract is null || ApiKeyRules.TryCreateQuota(contract.Limit, contract.Period, errors, out quota);
    }

    /// <summary>The key's usage of the limits in force now, read without counting anything.</summary>
    public static async Task<ApiKeyUsage?> ReadUsageAsync(
        ApiKeyRecord key, IApiKeyLimiter limiter, ApiKeyRateLimitOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rateLimit = key.RateLimit ?? options.DefaultRateLimit;
        var quota = key.Quota ?? options.DefaultQuota;
        if (rateLimit is null && quota is null)
        {
            return null;
        }

        var status = await limiter.GetStatusAsync(key.Id, rateLimit, quota, cancellationToken).ConfigureAwait(false);
        return new ApiKeyUsage
        {
            RateLimit = rateLimit is null ? null : new LimitUsage
            {
                Limit = rateLimit.Limit,
                Used = status.RateLimitUsed,
                Remaining = Math.Max(0, rateLimit.Limit - status.RateLimitUsed),
                ResetsAt = now + status.RateLimitReset,
            },
            Quota = quota is null ? null : new LimitUsage
            {
                Limit = quota.Limit,
                Used = status.QuotaUsed,
                Remaining = Math.Max(0, quota.Limit - status.QuotaUsed),
                ResetsAt = quota.PeriodEnd(now),
            },
        };
    }
}

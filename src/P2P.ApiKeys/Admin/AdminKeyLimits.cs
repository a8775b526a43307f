using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

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
        quota is null ? null : new() { Limit = quota.Limit, Period = AdminKeyLimits.PeriodName(quota.Period) };
}

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

using System.Text.Json.Serialization;
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

/// <summary>
/// Body of <c>PATCH /admin/keys/{id}</c>. A field that is present is changed (<see langword="null"/> removes the key's
/// own limit, so the host default applies); a field that is absent is left as it is.
/// </summary>
internal sealed class UpdateApiKeyRequest
{
    private RateLimitSettings? _rateLimit;
    private QuotaSettings? _quota;

    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit
    {
        get => _rateLimit;
        init
        {
            _rateLimit = value;
            HasRateLimit = true;
        }
    }

    [JsonPropertyName("quota")]
    public QuotaSettings? Quota
    {
        get => _quota;
        init
        {
            _quota = value;
            HasQuota = true;
        }
    }

    [JsonIgnore]
    public bool HasRateLimit { get; private init; }

    [JsonIgnore]
    public bool HasQuota { get; private init; }
}

/// <summary>Validation of the limit fields of key requests, and the usage shown in key responses.</summary>
internal static class AdminKeyLimits
{
    public static string PeriodName(ApiKeyQuotaPeriod period) => period == ApiKeyQuotaPeriod.Day ? "day" : "month";

    /// <summary>Reads <c>rate_limit</c>; adds an error and returns <see langword="false"/> when it is invalid.</summary>
    public static bool TryRead(RateLimitSettings? contract, Dictionary<string, string[]> errors, out ApiKeyRateLimit? rateLimit)
    {
        rateLimit = null;
        if (contract is null)
        {
            return true;
        }

        if (contract.Limit is not { } limit || contract.WindowSeconds is not { } seconds
            || limit is < 1 or > ApiKeyRateLimit.MaxLimit || seconds is < 1 or > ApiKeyRateLimit.MaxWindowSeconds)
        {
            errors["rate_limit"] = [$"rate_limit needs limit (1 to {ApiKeyRateLimit.MaxLimit}) and window_seconds (1 to {ApiKeyRateLimit.MaxWindowSeconds})."];
            return false;
        }

        rateLimit = new ApiKeyRateLimit(limit, TimeSpan.FromSeconds(seconds));
        return true;
    }

    /// <summary>Reads <c>quota</c>; adds an error and returns <see langword="false"/> when it is invalid.</summary>
    public static bool TryRead(QuotaSettings? contract, Dictionary<string, string[]> errors, out ApiKeyQuota? quota)
    {
        quota = null;
        if (contract is null)
        {
            return true;
        }

        ApiKeyQuotaPeriod? period = contract.Period switch
        {
            "day" => ApiKeyQuotaPeriod.Day,
            "month" => ApiKeyQuotaPeriod.Month,
            _ => null,
        };
        if (contract.Limit is not { } limit || limit is < 1 or > ApiKeyQuota.MaxLimit || period is null)
        {
            errors["quota"] = [$"quota needs limit (1 to {ApiKeyQuota.MaxLimit}) and period (\"day\" or \"month\", UTC)."];
            return false;
        }

        quota = new ApiKeyQuota(limit, period.Value);
        return true;
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

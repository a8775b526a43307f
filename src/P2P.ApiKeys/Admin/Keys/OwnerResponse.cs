using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>An owner's shared budget: its limits, what is used of them now, and how many active keys share them.</summary>
public sealed class OwnerResponse
{
    /// <summary>The owner's name, as on its keys.</summary>
    [JsonPropertyName("owner")]
    public string Owner { get; init; } = "";

    /// <summary>The owner's rate limit, shared by its keys; null for none.</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>The owner's quota, shared by its keys; null for none.</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }

    /// <summary>What the owner's keys together used of the owner's limits in the current window and period; null without limits.</summary>
    [JsonPropertyName("usage")]
    public ApiKeyUsage? Usage { get; init; }

    /// <summary>The owner's keys that are neither revoked nor expired.</summary>
    [JsonPropertyName("active_keys")]
    public long ActiveKeys { get; init; }

    internal static OwnerResponse From(ApiKeyOwnerBudgetInfo info, DateTimeOffset now)
    {
        var limits = info.Limits;
        var status = info.Usage;
        return new OwnerResponse
        {
            Owner = info.Owner,
            RateLimit = RateLimitSettings.From(limits.RateLimit),
            Quota = QuotaSettings.From(limits.Quota),
            ActiveKeys = info.ActiveKeys,
            Usage = limits.IsEmpty ? null : new ApiKeyUsage
            {
                RateLimit = limits.RateLimit is not { } rate ? null : new LimitUsage
                {
                    Limit = rate.Limit,
                    Used = status.RateLimitUsed,
                    Remaining = Math.Max(0, rate.Burst - status.RateLimitUsed),
                    ResetsAt = now + status.RateLimitReset,
                },
                Quota = limits.Quota is not { } quota ? null : new LimitUsage
                {
                    Limit = quota.Limit,
                    Used = status.QuotaUsed,
                    Remaining = Math.Max(0, quota.Limit - status.QuotaUsed),
                    ResetsAt = quota.PeriodEnd(now),
                },
            },
        };
    }
}

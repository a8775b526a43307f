using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// Body of <c>PATCH /admin/owners/{owner}</c>: the owner's shared budget. As for <c>PATCH /admin/keys/{id}</c>, a limit that
/// is absent or null stays as it is; <c>remove_rate_limit</c> or <c>remove_quota</c> (true) removes it.
/// </summary>
public sealed class UpdateOwnerRequest
{
    /// <summary>A new rate limit shared by all of the owner's keys; absent or null keeps the current one.</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>A new quota shared by all of the owner's keys; absent or null keeps the current one.</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }

    /// <summary><see langword="true"/> removes the owner's rate limit; not together with <c>rate_limit</c>.</summary>
    [JsonPropertyName("remove_rate_limit")]
    public bool? RemoveRateLimit { get; init; }

    /// <summary><see langword="true"/> removes the owner's quota; not together with <c>quota</c>.</summary>
    [JsonPropertyName("remove_quota")]
    public bool? RemoveQuota { get; init; }

    internal ApiKeyOwnerLimitsUpdate ToManagerRequest(Dictionary<string, string[]> errors)
    {
        AdminKeyUsage.TryRead(RateLimit, errors, out var rateLimit);
        AdminKeyUsage.TryRead(Quota, errors, out var quota);
        return new ApiKeyOwnerLimitsUpdate
        {
            RateLimit = rateLimit,
            RemoveRateLimit = RemoveRateLimit == true,
            Quota = quota,
            RemoveQuota = RemoveQuota == true,
        };
    }
}

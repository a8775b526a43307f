using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// Body of <c>PATCH /admin/keys/{id}</c>: the fields to change. A field that is absent <em>or null</em> stays as it is —
/// for every field, the limits included, so that a body generated from the schema never deletes anything by sending
/// <c>null</c>. A key's own limit is removed only on purpose, with <c>remove_rate_limit</c> or <c>remove_quota</c>. A value
/// equal to the current one (re-sending <c>enabled</c>) changes nothing and writes nothing.
/// </summary>
public sealed class UpdateApiKeyRequest
{
    /// <summary>The new display name; absent or null keeps the current one.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The new scopes, replacing the old ones; absent or null keeps the current ones.</summary>
    [JsonPropertyName("scopes")]
    public List<string?>? Scopes { get; init; }

    /// <summary>The new expiry, in the future; absent or null keeps the current one.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The new metadata, replacing the old; absent or null keeps the current metadata, <c>{}</c> clears it.</summary>
    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Enables or disables the key; absent, null or the current value keeps the current state.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>A new rate limit for the key; absent or null keeps the current one.</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>A new quota for the key; absent or null keeps the current one.</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }

    /// <summary><see langword="true"/> removes the key's own rate limit, so that the host default applies; not together with <c>rate_limit</c>.</summary>
    [JsonPropertyName("remove_rate_limit")]
    public bool? RemoveRateLimit { get; init; }

    /// <summary><see langword="true"/> removes the key's own quota, so that the host default applies; not together with <c>quota</c>.</summary>
    [JsonPropertyName("remove_quota")]
    public bool? RemoveQuota { get; init; }

    /// <summary>The manager's request; the limits' parts are judged by the manager's rules (errors added per field).</summary>
    internal ApiKeyUpdateRequest ToManagerRequest(Stores.AuditActor actor, Dictionary<string, string[]> errors)
    {
        AdminKeyUsage.TryRead(RateLimit, errors, out var rateLimit);
        AdminKeyUsage.TryRead(Quota, errors, out var quota);
        return new ApiKeyUpdateRequest
        {
            Actor = actor,
            Name = Name,
            Scopes = Scopes is null ? null : [.. Scopes!],
            ExpiresAt = ExpiresAt,
            Metadata = Metadata,
            Enabled = Enabled,
            RateLimit = rateLimit,
            RemoveRateLimit = RemoveRateLimit == true,
            Quota = quota,
            RemoveQuota = RemoveQuota == true,
        };
    }
}

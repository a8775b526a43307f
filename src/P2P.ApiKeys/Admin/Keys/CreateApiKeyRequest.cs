using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>Body of <c>POST /admin/keys/</c>.</summary>
/// <remarks>Maps field for field to the manager's <see cref="ApiKeyCreateRequest"/>; the manager judges the values.</remarks>
public sealed class CreateApiKeyRequest
{
    /// <summary>The key's display name; required.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>
    /// The key's scopes; absent for the host's default scopes. Admin permissions (<c>admin:keys:read</c> …) are scopes too:
    /// only a caller that holds one can give it, and a key with one must expire within 366 days.
    /// </summary>
    [JsonPropertyName("scopes")]
    public List<string?>? Scopes { get; init; }

    /// <summary>When the key expires; must be in the future. Absent for a key that never expires (not allowed with admin permissions).</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Free-form name/value pairs kept with the key and issued as claims.</summary>
    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Whether the key may be used; absent means enabled.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>
    /// The customer the key is issued to (its keys share the owner's budget, if it has one); absent for the calling admin's
    /// name, as before. 1 to 256 characters, no control characters.
    /// </summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    /// <summary>The key's own rate limit; absent for the host default (if any).</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>The key's own quota; absent for the host default (if any).</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }

    /// <summary>The manager's request; the limits' parts are judged by the manager's rules (errors added per field).</summary>
    internal ApiKeyCreateRequest ToManagerRequest(string? owner, Stores.AuditActor actor, Dictionary<string, string[]> errors)
    {
        AdminKeyUsage.TryRead(RateLimit, errors, out var rateLimit);
        AdminKeyUsage.TryRead(Quota, errors, out var quota);
        return new ApiKeyCreateRequest
        {
            Actor = actor,
            Name = Name ?? "",
            Owner = owner,
            Scopes = Scopes is null ? null : [.. Scopes!],
            ExpiresAt = ExpiresAt,
            Metadata = Metadata,
            Enabled = Enabled ?? true,
            RateLimit = rateLimit,
            Quota = quota,
        };
    }
}

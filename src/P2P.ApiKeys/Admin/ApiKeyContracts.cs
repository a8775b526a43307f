using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin;

/// <summary>Body of <c>POST /admin/keys/</c>.</summary>
public sealed class CreateApiKeyRequest
{
    /// <summary>The key's display name; required.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The key's scopes; absent for the host's default scopes.</summary>
    [JsonPropertyName("scopes")]
    public List<string?>? Scopes { get; init; }

    /// <summary>When the key expires; must be in the future. Absent for a key that never expires.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Free-form name/value pairs kept with the key and issued as claims.</summary>
    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Whether the key may be used; absent means enabled.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>The key's own rate limit; absent for the host default (if any).</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>The key's own quota; absent for the host default (if any).</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }
}

/// <summary>
/// Body of <c>PATCH /admin/keys/{id}</c>: the fields to change; absent or null ones stay as they are, except
/// <c>rate_limit</c> and <c>quota</c>, where null removes the key's own limit (the host default then applies).
/// </summary>
public sealed class UpdateApiKeyRequest
{
    private RateLimitSettings? _rateLimit;
    private QuotaSettings? _quota;

    /// <summary>The new display name; absent or null keeps the current one.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The new scopes; absent or null keeps the current ones.</summary>
    [JsonPropertyName("scopes")]
    public List<string?>? Scopes { get; init; }

    /// <summary>The new expiry; absent or null keeps the current one.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The new metadata, replacing the old; absent or null keeps the current metadata.</summary>
    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Enables or disables the key; absent or null keeps the current state.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }

    /// <summary>The key's own rate limit; null removes it (the host default then applies), absent keeps it.</summary>
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

    /// <summary>The key's own quota; null removes it (the host default then applies), absent keeps it.</summary>
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

    /// <summary>Whether <c>rate_limit</c> was in the body (null included).</summary>
    [JsonIgnore]
    public bool HasRateLimit { get; private init; }

    /// <summary>Whether <c>quota</c> was in the body (null included).</summary>
    [JsonIgnore]
    public bool HasQuota { get; private init; }
}

/// <summary>Body of <c>POST /admin/keys/{id}/rotate</c>; optional.</summary>
public sealed class RotateApiKeyRequest
{
    /// <summary>How long the old key keeps working after the rotation, in seconds; absent or 0 revokes it at once. At most the host's maximum, and never past the old key's own expiry.</summary>
    [JsonPropertyName("grace_period_seconds")]
    public long? GracePeriodSeconds { get; init; }
}

/// <summary>A newly created or rotated key: the only response that ever holds the full key.</summary>
public sealed class CreatedApiKeyResponse
{
    /// <summary>The key's id.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    /// <summary>The full key: shown in this response only, never again.</summary>
    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    /// <summary>The public part of the key that identifies it.</summary>
    [JsonPropertyName("lookup_id")]
    public string LookupId { get; init; } = "";

    /// <summary>The key's display name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The key's scopes.</summary>
    [JsonPropertyName("scopes")]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When the key was created.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key expires; <see langword="null"/> if it never does.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Who the key was issued by or for: a customer id, a user id, or the creating admin's user name; <see langword="null"/> if none.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    /// <summary>The key's metadata.</summary>
    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the key may be used.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>The key's own rate limit; <see langword="null"/> when the host default (if any) applies.</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>The key's own quota; <see langword="null"/> when the host default (if any) applies.</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }

    internal static CreatedApiKeyResponse From(CreatedApiKey created)
    {
        var record = created.Record;
        return new()
        {
            Id = record.Id,
            Key = created.Key,
            LookupId = record.LookupId,
            Name = record.Name,
            Scopes = record.Scopes,
            CreatedAt = record.CreatedAt,
            ExpiresAt = record.ExpiresAt,
            Owner = record.Owner,
            Metadata = record.Metadata,
            Enabled = record.Enabled,
            RateLimit = RateLimitSettings.From(record.RateLimit),
            Quota = QuotaSettings.From(record.Quota),
        };
    }

    /// <summary>The id and lookup id only: the key must not reach logs through a <c>ToString</c> of the response.</summary>
    /// <returns>A description of the response without the key.</returns>
    public override string ToString() => $"CreatedApiKeyResponse {{ Id = {Id}, LookupId = {LookupId} }}";
}

/// <summary>Key metadata: never the key or its hash.</summary>
public sealed class ApiKeyResponse
{
    /// <summary>The key's id.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    /// <summary>The public part of the key that identifies it.</summary>
    [JsonPropertyName("lookup_id")]
    public string LookupId { get; init; } = "";

    /// <summary>The key's display name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Who the key was issued by or for: a customer id, a user id, or the creating admin's user name; <see langword="null"/> if none.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    /// <summary>The key's scopes.</summary>
    [JsonPropertyName("scopes")]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When the key was created.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key expires; <see langword="null"/> if it never does.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the key was last used, as far as recorded; <see langword="null"/> if never.</summary>
    [JsonPropertyName("last_used_at")]
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>When the key was revoked; <see langword="null"/> while it is not.</summary>
    [JsonPropertyName("revoked_at")]
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The id of the key that replaced this one in a rotation; <see langword="null"/> if none.</summary>
    [JsonPropertyName("replaced_by")]
    public Guid? ReplacedBy { get; init; }

    /// <summary>The key's metadata.</summary>
    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the key may be used.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>The key's own rate limit; <see langword="null"/> when the host default (if any) applies.</summary>
    [JsonPropertyName("rate_limit")]
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>The key's own quota; <see langword="null"/> when the host default (if any) applies.</summary>
    [JsonPropertyName("quota")]
    public QuotaSettings? Quota { get; init; }

    /// <summary>Usage of the limits in force (own or default) in the current window and period.</summary>
    [JsonPropertyName("usage")]
    public ApiKeyUsage? Usage { get; init; }

    internal static ApiKeyResponse From(ApiKeyRecord key, ApiKeyUsage? usage = null) => new()
    {
        Id = key.Id,
        LookupId = key.LookupId,
        Name = key.Name,
        Owner = key.Owner,
        Scopes = key.Scopes,
        CreatedAt = key.CreatedAt,
        ExpiresAt = key.ExpiresAt,
        LastUsedAt = key.LastUsedAt,
        RevokedAt = key.RevokedAt,
        ReplacedBy = key.ReplacedByKeyId,
        Metadata = key.Metadata,
        Enabled = key.Enabled,
        RateLimit = RateLimitSettings.From(key.RateLimit),
        Quota = QuotaSettings.From(key.Quota),
        Usage = usage,
    };
}

/// <summary>One audit-trail entry.</summary>
public sealed class AdminAuditEntryResponse
{
    /// <summary>The entry's id.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    /// <summary>When the action happened.</summary>
    [JsonPropertyName("occurred_at")]
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>What was done, for example <c>key.created</c>.</summary>
    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    /// <summary>The admin who did it; <see langword="null"/> when unknown.</summary>
    [JsonPropertyName("actor")]
    public string? Actor { get; init; }

    /// <summary>What it was done to, for example a key id; <see langword="null"/> if nothing.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; init; }

    /// <summary>The client address of the request; <see langword="null"/> when unknown.</summary>
    [JsonPropertyName("client_address")]
    public string? ClientAddress { get; init; }

    internal static AdminAuditEntryResponse From(AdminAuditEntry e) => new()
    {
        Id = e.Id,
        OccurredAt = e.OccurredAt,
        Action = e.Action,
        Actor = e.Actor,
        Target = e.Target,
        ClientAddress = e.ClientAddress,
    };
}

using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary>Body of <c>POST /admin/keys/</c>.</summary>
internal sealed class CreateApiKeyRequest
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("scopes")]
    public List<string?>? Scopes { get; init; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }
}

/// <summary>Body of <c>PATCH /admin/keys/{id}</c>: the fields to change; absent or null ones stay as they are.</summary>
internal sealed class UpdateApiKeyRequest
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("scopes")]
    public List<string?>? Scopes { get; init; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("metadata")]
    public Dictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; init; }
}

/// <summary>Body of <c>POST /admin/keys/{id}/rotate</c>; optional.</summary>
internal sealed class RotateApiKeyRequest
{
    [JsonPropertyName("grace_period_seconds")]
    public long? GracePeriodSeconds { get; init; }
}

/// <summary>A newly created or rotated key: the only response that ever holds the full key.</summary>
internal sealed class CreatedApiKeyResponse
{
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    [JsonPropertyName("lookup_id")]
    public string LookupId { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("scopes")]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    public static CreatedApiKeyResponse From(CreatedApiKey created)
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
        };
    }

    // The key must not reach logs through a ToString of the response.
    public override string ToString() => $"CreatedApiKeyResponse {{ Id = {Id}, LookupId = {LookupId} }}";
}

/// <summary>Key metadata: never the key or its hash.</summary>
internal sealed class ApiKeyResponse
{
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    [JsonPropertyName("lookup_id")]
    public string LookupId { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    [JsonPropertyName("scopes")]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("last_used_at")]
    public DateTimeOffset? LastUsedAt { get; init; }

    [JsonPropertyName("revoked_at")]
    public DateTimeOffset? RevokedAt { get; init; }

    [JsonPropertyName("replaced_by")]
    public Guid? ReplacedBy { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    public static ApiKeyResponse From(ApiKeyRecord key) => new()
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
    };
}

/// <summary>One audit-trail entry.</summary>
internal sealed class AdminAuditEntryResponse
{
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    [JsonPropertyName("occurred_at")]
    public DateTimeOffset OccurredAt { get; init; }

    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    [JsonPropertyName("actor")]
    public string? Actor { get; init; }

    [JsonPropertyName("target")]
    public string? Target { get; init; }

    [JsonPropertyName("client_address")]
    public string? ClientAddress { get; init; }

    public static AdminAuditEntryResponse From(AdminAuditEntry e) => new()
    {
        Id = e.Id,
        OccurredAt = e.OccurredAt,
        Action = e.Action,
        Actor = e.Actor,
        Target = e.Target,
        ClientAddress = e.ClientAddress,
    };
}

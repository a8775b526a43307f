using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>Key metadata: never the key or its hash.</summary>
/// <remarks><see cref="CreatedApiKeyResponse"/> adds the key, once.</remarks>
public class ApiKeyResponse
{
    /// <summary>The key's id.</summary>
    [JsonPropertyName("id")]
    [JsonPropertyOrder(-2)]
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

    /// <summary>The key's scopes, admin permissions included.</summary>
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

    /// <summary>When the key was revoked; <see langword="null"/> while it is not (a key in its rotation grace period is not revoked yet).</summary>
    [JsonPropertyName("revoked_at")]
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>
    /// When the rotation grace period of a rotated key ends: the key works until then and is revoked from then on;
    /// <see langword="null"/> when the key is in no grace period.
    /// </summary>
    [JsonPropertyName("grace_ends_at")]
    public DateTimeOffset? GraceEndsAt { get; init; }

    /// <summary>The id of the key that replaced this one in a rotation; <see langword="null"/> if none.</summary>
    [JsonPropertyName("replaced_by")]
    public Guid? ReplacedBy { get; init; }

    /// <summary>
    /// The key's lineage: the id of the first key of its rotation chain (its own id unless it was made by a rotation);
    /// the key and every replacement its rotations made share it.
    /// </summary>
    [JsonPropertyName("lineage_id")]
    public Guid LineageId { get; init; }

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

    /// <summary>
    /// For a rotated key read on its own (<c>GET /keys/{id}</c>): its replacement and whether clients still use it;
    /// absent otherwise.
    /// </summary>
    [JsonPropertyName("rotation_watch")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RotationWatch? RotationWatch { get; internal set; }

    /// <summary>Creates an empty response, for deserialization.</summary>
    public ApiKeyResponse()
    {
    }

    /// <summary>A copy of <paramref name="metadata"/>, for a response that adds to it.</summary>
    private protected ApiKeyResponse(ApiKeyResponse metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Id = metadata.Id;
        LookupId = metadata.LookupId;
        Name = metadata.Name;
        Owner = metadata.Owner;
        Scopes = metadata.Scopes;
        CreatedAt = metadata.CreatedAt;
        ExpiresAt = metadata.ExpiresAt;
        LastUsedAt = metadata.LastUsedAt;
        RevokedAt = metadata.RevokedAt;
        GraceEndsAt = metadata.GraceEndsAt;
        ReplacedBy = metadata.ReplacedBy;
        LineageId = metadata.LineageId;
        Metadata = metadata.Metadata;
        Enabled = metadata.Enabled;
        RateLimit = metadata.RateLimit;
        Quota = metadata.Quota;
        Usage = metadata.Usage;
        RotationWatch = metadata.RotationWatch;
    }

    /// <summary>The metadata of <paramref name="key"/> at <paramref name="now"/>: a revocation still ahead is a grace period.</summary>
    internal static ApiKeyResponse From(ApiKeyRecord key, DateTimeOffset now, ApiKeyUsage? usage)
    {
        var inGrace = key.RevokedAt is { } revokedAt && revokedAt > now;
        return new()
        {
            Id = key.Id,
            LookupId = key.LookupId,
            Name = key.Name,
            Owner = key.Owner,
            Scopes = key.Scopes,
            CreatedAt = key.CreatedAt,
            ExpiresAt = key.ExpiresAt,
            LastUsedAt = key.LastUsedAt,
            RevokedAt = inGrace ? null : key.RevokedAt,
            GraceEndsAt = inGrace ? key.RevokedAt : null,
            ReplacedBy = key.ReplacedByKeyId,
            LineageId = key.LineageId,
            Metadata = key.Metadata,
            Enabled = key.Enabled,
            RateLimit = RateLimitSettings.From(key.RateLimit),
            Quota = QuotaSettings.From(key.Quota),
            Usage = usage,
        };
    }
}

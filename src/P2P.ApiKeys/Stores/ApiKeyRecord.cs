using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Stores;

/// <summary>
/// A stored API key: its public lookup id, the hash of its secret and its metadata. The key itself is
/// never stored.
/// </summary>
public sealed class ApiKeyRecord
{
    /// <summary>Longest key name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest scope accepted.</summary>
    public const int MaxScopeLength = 100;

    /// <summary>Most scopes one key may carry.</summary>
    public const int MaxScopes = 32;

    /// <summary>Longest owner identifier accepted.</summary>
    public const int MaxOwnerLength = 256;

    /// <summary>Most metadata entries one key may carry.</summary>
    public const int MaxMetadataEntries = 16;

    /// <summary>Longest metadata name accepted (ASCII letters, digits, <c>_ . : -</c>).</summary>
    public const int MaxMetadataNameLength = 64;

    /// <summary>Longest metadata value accepted.</summary>
    public const int MaxMetadataValueLength = 256;

    /// <summary>Stable identifier of the key record.</summary>
    public Guid Id { get; set; }

    /// <summary>The public lookup id embedded in the key; unique and indexed.</summary>
    public string LookupId { get; set; } = "";

    /// <summary>SHA-256 (or HMAC-SHA256 with the pepper) of the key's secret part; 32 bytes.</summary>
    public byte[] SecretHash { get; set; } = [];

    /// <summary>Human-readable name, for example <c>Streamlit App Key</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Who the key was issued by or for: a customer id, a user id, or the creating admin's user name.</summary>
    public string? Owner { get; set; }

    /// <summary>Scopes granted to the key; each becomes a <c>scope</c> claim.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>
    /// A small, bounded map of the host's own data (customer id, plan …); each entry becomes an
    /// <see cref="ApiKeyClaimTypes.MetadataPrefix"/> claim. Never put a secret here.
    /// </summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the key may be used; a disabled key is refused like a revoked one, but can be enabled again.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When the key was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key stops working, or <see langword="null"/> for no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>
    /// When the key was (or will be) revoked. A time in the future is a scheduled revocation: the grace
    /// period of a rotation. The record is kept for audit.
    /// </summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key was last seen in a successful request; updated in batches, not per request.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The key that replaced this one by rotation, if any.</summary>
    public Guid? ReplacedByKeyId { get; set; }

    /// <summary>
    /// The key's lineage: the id of the first key of its rotation chain. A new key's lineage is its own
    /// <see cref="Id"/>; a replacement made by rotation inherits the lineage of the key it replaces, so what is counted
    /// per lineage follows the customer's key across rotations.
    /// </summary>
    /// <remarks>A record whose store has not set it (<see cref="Guid.Empty"/>) is a lineage of its own: the getter answers <see cref="Id"/>.</remarks>
    public Guid LineageId
    {
        get => _lineageId == Guid.Empty ? Id : _lineageId;
        set => _lineageId = value;
    }

    private Guid _lineageId;

    /// <summary>The key's rate limit, or <see langword="null"/> for the host default (<see cref="ApiKeyRateLimitOptions.DefaultRateLimit"/>).</summary>
    public ApiKeyRateLimit? RateLimit { get; set; }

    /// <summary>The key's quota, or <see langword="null"/> for the host default (<see cref="ApiKeyRateLimitOptions.DefaultQuota"/>).</summary>
    public ApiKeyQuota? Quota { get; set; }

    /// <summary>
    /// Optimistic concurrency token. Every state change (<see cref="IApiKeyStore.UpdateAsync"/>,
    /// <see cref="IApiKeyStore.RotateAsync"/>) applies only while the stored stamp still equals this one, and
    /// stores a new one, so exactly one of several concurrent changes of the same key wins.
    /// </summary>
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Whether the key is usable at <paramref name="now"/>: enabled, not revoked and not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now) => Enabled && !IsRevokedAt(now) && !IsExpiredAt(now);

    /// <summary>Whether the key is revoked at <paramref name="now"/> (a scheduled revocation counts once its time has come).</summary>
    public bool IsRevokedAt(DateTimeOffset now) => RevokedAt is { } revokedAt && revokedAt <= now;

    /// <summary>Whether the key has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    /// <summary>A copy that shares no mutable state with this instance.</summary>
    public ApiKeyRecord Clone()
    {
        var copy = (ApiKeyRecord)MemberwiseClone();
        copy.SecretHash = (byte[])SecretHash.Clone();
        copy.Scopes = [.. Scopes];
        copy.Metadata = new Dictionary<string, string>(Metadata, StringComparer.Ordinal);
        return copy;
    }
}

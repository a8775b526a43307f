using System.Security.Claims;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// An immutable snapshot of a stored key, enough to verify a request without the store (the secret hash, the validity
/// window, the claims built once) and all that the steps after verification need (id, owner, limits). The cache holds
/// it, the seam hands it to observers, and the request carries it as a feature for the limit step: nothing is copied.
/// </summary>
internal sealed class VerifiedApiKey : ICachedApiKey
{
    private VerifiedApiKey(ApiKeyRecord record, Claim[] claims, DateTimeOffset cachedUntil)
    {
        Id = record.Id;
        IdText = claims[0].Value;
        LookupId = record.LookupId;
        LineageId = record.LineageId;
        Owner = record.Owner;
        SecretHash = (byte[])record.SecretHash.Clone();
        ExpiresAt = record.ExpiresAt;
        RevokedAt = record.RevokedAt;
        RateLimit = record.RateLimit;
        Quota = record.Quota;
        Enabled = record.Enabled;
        Claims = claims;
        CachedUntil = cachedUntil;
    }

    public Guid Id { get; }

    /// <summary><see cref="Id"/> as the <see cref="ApiKeyClaimTypes.KeyId"/> claim holds it.</summary>
    public string IdText { get; }

    public string LookupId { get; }

    /// <summary>The key's lineage: itself and every replacement rotation made; what budgets and usage count per.</summary>
    public Guid LineageId { get; }

    /// <summary>Who the key was issued for, when known.</summary>
    public string? Owner { get; }

    public byte[] SecretHash { get; }

    public DateTimeOffset? ExpiresAt { get; }

    public DateTimeOffset? RevokedAt { get; }

    /// <summary>The key's own rate limit; the host default applies when <see langword="null"/>.</summary>
    public ApiKeyRateLimit? RateLimit { get; }

    /// <summary>The key's own quota; the host default applies when <see langword="null"/>.</summary>
    public ApiKeyQuota? Quota { get; }

    public bool Enabled { get; }

    /// <summary>Claims of the principal; <see cref="ClaimsIdentity"/> copies them, so they are never mutated.</summary>
    public Claim[] Claims { get; }

    /// <summary>When this snapshot must be read from the store again.</summary>
    public DateTimeOffset CachedUntil { get; }

    /// <summary>
    /// A slot the usage history keeps its current counting cell in, so that a cached key's request finds it without a
    /// dictionary lookup; opaque to everything else.
    /// </summary>
    public object? UsageSlot { get; set; }

    /// <summary>Verified (the secret matched), or refused for the key's state at <paramref name="now"/>: revoked, expired, disabled.</summary>
    public ApiKeyOutcome StateAt(DateTimeOffset now) =>
        RevokedAt is { } revokedAt && revokedAt <= now ? ApiKeyOutcome.Revoked
        : ExpiresAt is { } expiresAt && expiresAt <= now ? ApiKeyOutcome.Expired
        : !Enabled ? ApiKeyOutcome.Disabled
        : ApiKeyOutcome.Verified;

    /// <summary>
    /// The request's principal: a new identity (authentication type <paramref name="authenticationType"/>, name
    /// claim <see cref="ApiKeyClaimTypes.Name"/>) holding its own copies of <see cref="Claims"/>, so that a
    /// claims transformation or an event that changes it never reaches another request. Claims are added one
    /// by one, not through the constructor's <see cref="IEnumerable{T}"/>, which would box an enumerator.
    /// </summary>
    public ClaimsPrincipal CreatePrincipal(string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, ApiKeyClaimTypes.Name, ClaimTypes.Role);
        foreach (var claim in Claims)
        {
            identity.AddClaim(claim);
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>Whether <paramref name="principal"/> is this key's: it carries an identity with this key's id.</summary>
    public bool IsHeldBy(ClaimsPrincipal principal)
    {
        foreach (var identity in principal.Identities)
        {
            if (identity.FindFirst(ApiKeyClaimTypes.KeyId) is { } claim && string.Equals(claim.Value, IdText, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static VerifiedApiKey Create(ApiKeyRecord record, DateTimeOffset cachedUntil, string issuer)
    {
        var claims = new Claim[4 + (record.Owner is null ? 0 : 1) + record.Scopes.Count + record.Metadata.Count];
        var id = record.Id.ToString("D");
        var i = 0;
        claims[i++] = new Claim(ApiKeyClaimTypes.KeyId, id, ClaimValueTypes.String, issuer);
        claims[i++] = new Claim(ApiKeyClaimTypes.LookupId, record.LookupId, ClaimValueTypes.String, issuer);
        claims[i++] = new Claim(ApiKeyClaimTypes.Name, record.Name, ClaimValueTypes.String, issuer);
        claims[i++] = new Claim(ClaimTypes.NameIdentifier, id, ClaimValueTypes.String, issuer);
        if (record.Owner is not null)
        {
            claims[i++] = new Claim(ApiKeyClaimTypes.Owner, record.Owner, ClaimValueTypes.String, issuer);
        }

        foreach (var scope in record.Scopes)
        {
            claims[i++] = new Claim(ApiKeyClaimTypes.Scope, scope, ClaimValueTypes.String, issuer);
        }

        foreach (var (name, value) in record.Metadata)
        {
            claims[i++] = new Claim(ApiKeyClaimTypes.MetadataPrefix + name, value, ClaimValueTypes.String, issuer);
        }

        return new VerifiedApiKey(record, claims, cachedUntil);
    }
}

using System.Security.Claims;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Caching;

/// <summary>
/// An immutable snapshot of a stored key, enough to verify a request without the store: the secret hash,
/// the validity window and the claims, built once so that a cache hit only copies them.
/// </summary>
internal sealed class CachedApiKey
{
    private CachedApiKey(ApiKeyRecord record, Claim[] claims, DateTimeOffset cachedUntil)
    {
        Id = record.Id;
        LookupId = record.LookupId;
        SecretHash = (byte[])record.SecretHash.Clone();
        ExpiresAt = record.ExpiresAt;
        RevokedAt = record.RevokedAt;
        Enabled = record.Enabled;
        Claims = claims;
        CachedUntil = cachedUntil;
    }

    public Guid Id { get; }

    public string LookupId { get; }

    public byte[] SecretHash { get; }

    public DateTimeOffset? ExpiresAt { get; }

    public DateTimeOffset? RevokedAt { get; }

    public bool Enabled { get; }

    /// <summary>Claims of the principal; <see cref="ClaimsIdentity"/> copies them, so they are never mutated.</summary>
    public Claim[] Claims { get; }

    /// <summary>When this snapshot must be read from the store again.</summary>
    public DateTimeOffset CachedUntil { get; }

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

    public bool IsRevokedAt(DateTimeOffset now) => RevokedAt is { } revokedAt && revokedAt <= now;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    public static CachedApiKey Create(ApiKeyRecord record, DateTimeOffset cachedUntil, string issuer)
    {
        var claims = new Claim[4 + (record.Owner is null ? 0 : 1) + record.Scopes.Count + record.Metadata.Count];
        var i = 0;
        claims[i++] = new Claim(ApiKeyClaimTypes.KeyId, record.Id.ToString("D"), ClaimValueTypes.String, issuer);
        claims[i++] = new Claim(ApiKeyClaimTypes.LookupId, record.LookupId, ClaimValueTypes.String, issuer);
        claims[i++] = new Claim(ApiKeyClaimTypes.Name, record.Name, ClaimValueTypes.String, issuer);
        claims[i++] = new Claim(ClaimTypes.NameIdentifier, record.Id.ToString("D"), ClaimValueTypes.String, issuer);
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

        return new CachedApiKey(record, claims, cachedUntil);
    }
}

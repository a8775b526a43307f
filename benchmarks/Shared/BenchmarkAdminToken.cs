using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace P2P.ApiKeys.Benchmarks.Shared;

/// <summary>
/// The admin-style HS256 JWT both benchmark programs validate against API keys: pinned algorithm, issuer, audience
/// and lifetime, as the library's admin tokens are. Linked into BenchmarkDotNet and the load host, so the JWT
/// side of every comparison is the same token with the same validation.
/// </summary>
internal static class BenchmarkAdminToken
{
    public const string Issuer = "p2p-apikeys-bench";
    public const string Audience = "p2p-admin";

    // 256-bit HS256 key, fixed so runs are comparable; a benchmark secret, not a real one.
    public static readonly SymmetricSecurityKey SigningKey = new(Encoding.ASCII.GetBytes("bench-only-hs256-key-0123456789abcdef-0123456789"));

    public static TokenValidationParameters Validation() => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SigningKey,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <param name="lifetime">How long the token is valid: at least the length of the run that uses it.</param>
    public static SecurityTokenDescriptor Descriptor(TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "admin"), new Claim("name", "admin"), new Claim("role", "admin")]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        };
    }

    public static string Issue(TimeSpan lifetime) => new JsonWebTokenHandler().CreateToken(Descriptor(lifetime));
}

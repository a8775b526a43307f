using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>Issues the short-lived HS256 admin JWT that the <c>AdminBearer</c> scheme validates.</summary>
internal sealed class AdminTokenIssuer(IOptions<AdminOptions> options, AdminSigningKey signingKey, TimeProvider clock)
{
    // Times come from the TimeProvider, never from the handler's own DateTime.UtcNow.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, TimeSpan Lifetime) Issue(AdminUser user)
    {
        var o = options.Value.Token;
        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + o.Lifetime,
            TokenType = AdminDefaults.TokenType,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
                [JwtRegisteredClaimNames.Name] = user.UserName,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [AdminDefaults.SecurityStampClaimType] = user.SecurityStamp,
            },
        };
        return (_handler.CreateToken(descriptor), o.Lifetime);
    }
}

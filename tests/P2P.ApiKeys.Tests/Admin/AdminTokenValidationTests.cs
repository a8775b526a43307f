using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>docs/security.md rule 14: only our HS256 tokens of our type, issuer and audience are admin tokens.</summary>
public sealed class AdminTokenValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] ServerKey = Convert.FromBase64String(AdminTestHost.SigningKey);

    public enum Tamper
    {
        None,
        AlgNone,
        OtherHmacAlgorithm,
        WrongKey,
        EmbeddedJwk,
        JkuHeader,
        X5uHeader,
        RsaWithEmbeddedPublicKey,
        WrongType,
        NoType,
        WrongIssuer,
        WrongAudience,
        ModifiedPayload,
        StaleSecurityStamp,
        NotYetValid,
    }

    [Theory]
    [InlineData(Tamper.AlgNone)]
    [InlineData(Tamper.OtherHmacAlgorithm)]
    [InlineData(Tamper.WrongKey)]
    [InlineData(Tamper.EmbeddedJwk)]
    [InlineData(Tamper.JkuHeader)]
    [InlineData(Tamper.X5uHeader)]
    [InlineData(Tamper.RsaWithEmbeddedPublicKey)]
    [InlineData(Tamper.WrongType)]
    [InlineData(Tamper.NoType)]
    [InlineData(Tamper.WrongIssuer)]
    [InlineData(Tamper.WrongAudience)]
    [InlineData(Tamper.ModifiedPayload)]
    [InlineData(Tamper.StaleSecurityStamp)]
    [InlineData(Tamper.NotYetValid)]
    public async Task AdminRoute_TamperedToken_Returns401WithoutDetails(Tamper tamper)
    {
        await using var host = await AdminTestHost.StartAsync();
        await host.BootstrapAsync();
        var admin = (await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct))!;
        var token = Craft(tamper, admin.Id, admin.SecurityStamp, host.Time.GetUtcNow().UtcDateTime);

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        foreach (var word in new[] { "signature", "algorithm", "issuer", "audience", "IDX" })
        {
            Assert.DoesNotContain(word, problem.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AdminRoute_CraftedTokenWithEverythingRight_IsAccepted()
    {
        // The control for the theory above: the crafting itself yields valid tokens.
        await using var host = await AdminTestHost.StartAsync();
        await host.BootstrapAsync();
        var admin = (await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct))!;

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/keys/",
            Craft(Tamper.None, admin.Id, admin.SecurityStamp, host.Time.GetUtcNow().UtcDateTime));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Craft(Tamper tamper, Guid adminId, string stamp, DateTime now)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = adminId.ToString(),
            ["name"] = AdminTestHost.AdminName,
            ["jti"] = Guid.NewGuid().ToString("N"),
            [AdminDefaults.SecurityStampClaimType] = tamper == Tamper.StaleSecurityStamp ? Guid.NewGuid().ToString("N") : stamp,
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = tamper == Tamper.WrongIssuer ? "https://evil.example" : "P2P.ApiKeys",
            Audience = tamper == Tamper.WrongAudience ? "someone-else" : "P2P.ApiKeys.Admin",
            IssuedAt = now,
            NotBefore = tamper == Tamper.NotYetValid ? now.AddMinutes(5) : now,
            Expires = tamper == Tamper.NotYetValid ? now.AddMinutes(20) : now.AddMinutes(15),
            TokenType = tamper switch
            {
                Tamper.WrongType => "JWT",
                Tamper.NoType => null,
                _ => AdminDefaults.TokenType,
            },
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(ServerKey), SecurityAlgorithms.HmacSha256),
        };
        var attackerKey = RandomNumberGenerator.GetBytes(32);
        switch (tamper)
        {
            case Tamper.AlgNone:
                var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"{{AdminDefaults.TokenType}}"}""");
                var payload = new JsonWebToken(Sign(descriptor)).EncodedPayload;
                return $"{header}.{payload}.";
            case Tamper.OtherHmacAlgorithm:
                // HS384 with the server's own key: right key, wrong algorithm. Signed by hand because the library
                // rightly refuses a 368-bit key for HS384.
                var hsHeader = Base64UrlEncoder.Encode($$"""{"alg":"HS384","typ":"{{AdminDefaults.TokenType}}"}""");
                var hsPayload = new JsonWebToken(Sign(descriptor)).EncodedPayload;
                var mac = HMACSHA384.HashData(ServerKey, Encoding.ASCII.GetBytes($"{hsHeader}.{hsPayload}"));
                return $"{hsHeader}.{hsPayload}.{Base64UrlEncoder.Encode(mac)}";
            case Tamper.WrongKey:
                descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(attackerKey), SecurityAlgorithms.HmacSha256);
                break;
            case Tamper.EmbeddedJwk:
                descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(attackerKey), SecurityAlgorithms.HmacSha256);
                descriptor.AdditionalHeaderClaims = new Dictionary<string, object>
                {
                    ["jwk"] = new Dictionary<string, object> { ["kty"] = "oct", ["k"] = Base64UrlEncoder.Encode(attackerKey) },
                };
                break;
            case Tamper.JkuHeader:
                descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(attackerKey), SecurityAlgorithms.HmacSha256);
                descriptor.AdditionalHeaderClaims = new Dictionary<string, object> { ["jku"] = "https://evil.example/jwks.json" };
                break;
            case Tamper.X5uHeader:
                descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(attackerKey), SecurityAlgorithms.HmacSha256);
                descriptor.AdditionalHeaderClaims = new Dictionary<string, object> { ["x5u"] = "https://evil.example/cert.pem" };
                break;
            case Tamper.RsaWithEmbeddedPublicKey:
                using (var rsa = RSA.Create(2048))
                {
                    var parameters = rsa.ExportParameters(false);
                    descriptor.SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)), SecurityAlgorithms.RsaSha256);
                    descriptor.AdditionalHeaderClaims = new Dictionary<string, object>
                    {
                        ["jwk"] = new Dictionary<string, object>
                        {
                            ["kty"] = "RSA",
                            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
                            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
                        },
                    };
                    return Sign(descriptor);
                }

            case Tamper.ModifiedPayload:
                var original = new JsonWebToken(Sign(descriptor));
                var forgedPayload = Base64UrlEncoder.Encode(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(original.EncodedPayload))
                    .Replace(AdminTestHost.AdminName, "mallory", StringComparison.Ordinal));
                return $"{original.EncodedHeader}.{forgedPayload}.{original.EncodedSignature}";
        }

        return Sign(descriptor);
    }

    private static string Sign(SecurityTokenDescriptor descriptor) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
}

using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// The services a real host registers (AddApiKeyAuth + AddInMemoryStores, plus an admin-style JwtBearer
/// scheme), without Kestrel, so that benchmarks call the real handler, cache and store.
/// </summary>
internal sealed class BenchmarkServices : IDisposable
{
    public const string JwtScheme = "AdminBearer";
    public const string Issuer = "p2p-apikeys-bench";
    public const string Audience = "p2p-admin";

    // 256-bit HS256 key, fixed so runs are comparable; a benchmark secret, not a real one.
    public static readonly SymmetricSecurityKey SigningKey = new(Encoding.ASCII.GetBytes("bench-only-hs256-key-0123456789abcdef-0123456789"));

    private BenchmarkServices(ServiceProvider provider) => Provider = provider;

    public ServiceProvider Provider { get; }

    public ApiKeyFormat Format => Provider.GetRequiredService<ApiKeyFormat>();

    public ApiKeySecretHasher Hasher => Provider.GetRequiredService<ApiKeySecretHasher>();

    /// <param name="configure">Options for AddApiKeyAuth.</param>
    /// <param name="addStores">Registers the stores; the in-memory ones when null.</param>
    public static BenchmarkServices Create(Action<ApiKeyOptions>? configure = null, Action<IServiceCollection, ApiKeyAuthBuilder>? addStores = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(); // no providers: logging off, as in the load host
        var builder = services.AddApiKeyAuth(configure);
        if (addStores is null)
        {
            builder.AddInMemoryStores();
        }
        else
        {
            addStores(services, builder);
        }

        services.AddAuthentication().AddJwtBearer(JwtScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = AdminTokenValidation();
        });
        return new BenchmarkServices(services.BuildServiceProvider());
    }

    /// <summary>Validation like an admin token: pinned algorithm, issuer, audience and lifetime.</summary>
    public static TokenValidationParameters AdminTokenValidation() => new()
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

    public static SecurityTokenDescriptor AdminTokenDescriptor() => new()
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "admin"), new Claim("name", "admin"), new Claim("role", "admin")]),
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(30),
        SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
    };

    public static string IssueAdminToken() => new JsonWebTokenHandler().CreateToken(AdminTokenDescriptor());

    /// <summary>Creates a key the way the admin endpoints do: generate, hash the secret, store the record.</summary>
    public async Task<string> CreateKeyAsync(string name = "Bench key")
    {
        var generated = Format.Generate();
        Format.TryParse(generated.Key, out var parsed);
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid(),
            LookupId = generated.LookupId,
            SecretHash = Hasher.Hash(parsed.Secret),
            Name = name,
            Owner = "bench",
            Scopes = ["p2p:read"],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await Provider.GetRequiredService<IApiKeyStore>().CreateAsync(record, CancellationToken.None).ConfigureAwait(false);
        return generated.Key;
    }

    /// <summary>
    /// One request's worth of authentication: a request scope and an HttpContext, as Kestrel gives the
    /// pipeline, then the scheme's handler through IAuthenticationService.
    /// </summary>
    public async Task<bool> AuthenticateAsync(string scheme, string headerName, string? headerValue)
    {
        var scope = Provider.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            if (headerValue is not null)
            {
                context.Request.Headers[headerName] = headerValue;
            }

            // From the request scope, as HttpContext.AuthenticateAsync does: the handler provider is scoped and
            // keeps one handler per scheme, so a root-level one would hand back the first request's result.
            var authentication = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
            var result = await authentication.AuthenticateAsync(context, scheme).ConfigureAwait(false);
            return result.Succeeded;
        }
    }

    public void Dispose() => Provider.Dispose();
}

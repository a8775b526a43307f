using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

// The load benchmark's server: one trivial endpoint four ways. Two Kestrel apps in this one process:
//   :PORT    /anonymous, /apikey (cached, library defaults), /jwt (JwtBearer, HS256, admin-token validation)
//   :PORT+1  /apikey-nocache (CacheTtl = 0: every request reads the store)
// The store is the in-memory one; once AddEntityFrameworkCoreStores lands, the no-cache app is meant to
// use EF Core on SQLite instead.
// Usage: P2P.ApiKeys.LoadHost <port> <credentials-file>. The key and the token go to that file for
// run-load.sh, never to the console: real hosts never print credentials.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5099;
var credentialsPath = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "p2p-loadhost.credentials");

const string JwtScheme = "AdminBearer";
const string Issuer = "p2p-apikeys-loadhost";
const string Audience = "p2p-admin";
var signingKey = new SymmetricSecurityKey(Encoding.ASCII.GetBytes("loadhost-only-hs256-key-0123456789abcdef-0123456789"));

var cached = BuildApp(port, configure: null, addJwt: true);
var uncached = BuildApp(port + 1, o => o.CacheTtl = TimeSpan.Zero, addJwt: false);

cached.MapGet("/anonymous", () => "ok").AllowAnonymous();
cached.MapGet("/apikey", () => "ok").RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"));
cached.MapGet("/jwt", () => "ok").RequireAuthorization(new AuthorizationPolicyBuilder(JwtScheme)
    .RequireAuthenticatedUser()
    .RequireClaim("role", "admin")
    .Build());
uncached.MapGet("/apikey-nocache", () => "ok").RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"));

await cached.StartAsync().ConfigureAwait(false);
await uncached.StartAsync().ConfigureAwait(false);

// One key, stored in both apps' stores, created the way the admin endpoints do.
var format = cached.Services.GetRequiredService<ApiKeyFormat>();
var hasher = cached.Services.GetRequiredService<ApiKeySecretHasher>();
var generated = format.Generate();
format.TryParse(generated.Key, out var parsed);
var record = new ApiKeyRecord
{
    Id = Guid.NewGuid(),
    LookupId = generated.LookupId,
    SecretHash = hasher.Hash(parsed.Secret),
    Name = "Load test key",
    Owner = "loadhost",
    Scopes = ["p2p:read"],
    CreatedAt = DateTimeOffset.UtcNow,
};
await cached.Services.GetRequiredService<IApiKeyStore>().CreateAsync(record, CancellationToken.None).ConfigureAwait(false);
await uncached.Services.GetRequiredService<IApiKeyStore>().CreateAsync(record, CancellationToken.None).ConfigureAwait(false);

var now = DateTime.UtcNow;
var jwt = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Issuer = Issuer,
    Audience = Audience,
    Subject = new ClaimsIdentity([new Claim("sub", "admin"), new Claim("name", "admin"), new Claim("role", "admin")]),
    IssuedAt = now,
    NotBefore = now,
    Expires = now.AddHours(2),
    SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256),
});

var temp = credentialsPath + ".tmp";
await File.WriteAllTextAsync(temp, string.Create(CultureInfo.InvariantCulture, $"""
    PORT={port}
    NOCACHE_PORT={port + 1}
    API_KEY={generated.Key}
    JWT={jwt}

    """)).ConfigureAwait(false);
File.Move(temp, credentialsPath, overwrite: true); // appears whole: the script polls for it

await Task.WhenAll(cached.WaitForShutdownAsync(), uncached.WaitForShutdownAsync()).ConfigureAwait(false);
return 0;

WebApplication BuildApp(int listenPort, Action<ApiKeyOptions>? configure, bool addJwt)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, listenPort));
    builder.Services.AddApiKeyAuth(configure).AddInMemoryStores();
    if (addJwt)
    {
        builder.Services.AddAuthentication().AddJwtBearer(JwtScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = signingKey,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
    }

    var app = builder.Build();
    app.UseAuthentication();
    app.UseAuthorization();
    return app;
}

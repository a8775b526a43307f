using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

// The load benchmark's server: one trivial endpoint five ways. Two Kestrel apps in this one process:
//   :PORT    /anonymous, /apikey (cached, library defaults), /jwt (JwtBearer, HS256, admin-token validation),
//            /authz-floor (the same authorization pipeline and policy shape as /apikey, with a scheme that
//            succeeds at once: what ASP.NET Core's authentication + authorization cost before any handler work)
//   :PORT+1  /apikey-nocache (CacheTtl = 0: every request reads the store), on EF Core + SQLite
//            (AddEntityFrameworkCoreStores<ApiKeysDbContext>, a file in a temp dir) seeded with
//            NOCACHE_KEYS (default 100,000) other keys, so that the lookup goes through a real index.
// The cached app keeps the in-memory store.
// Usage: P2P.ApiKeys.LoadHost <port> <credentials-file>. The key and the token go to that file for
// run-load.sh, never to the console: real hosts never print credentials.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5099;
var credentialsPath = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "p2p-loadhost.credentials");

const string JwtScheme = "AdminBearer";
const string FloorScheme = "Floor";

var cached = BuildApp(port, configure: null, addJwt: true);
var seedCount = int.Parse(Environment.GetEnvironmentVariable("NOCACHE_KEYS") ?? "100000", CultureInfo.InvariantCulture);
var sqliteDir = Directory.CreateTempSubdirectory("p2p-loadhost-").FullName;
var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(sqliteDir, "keys.db") }.ToString();
var uncached = BuildApp(port + 1, o => o.CacheTtl = TimeSpan.Zero, addJwt: false, sqlite);

cached.MapGet("/anonymous", () => "ok").AllowAnonymous();
cached.MapGet("/apikey", () => "ok").RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"));
cached.MapGet("/authz-floor", () => "ok").RequireAuthorization(new AuthorizationPolicyBuilder(FloorScheme)
    .RequireAuthenticatedUser()
    .RequireClaim("scope", "p2p:read")
    .Build());
cached.MapGet("/jwt", () => "ok").RequireAuthorization(new AuthorizationPolicyBuilder(JwtScheme)
    .RequireAuthenticatedUser()
    .RequireClaim("role", "admin")
    .Build());
uncached.MapGet("/apikey-nocache", () => "ok").RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"));

await using (var db = await uncached.Services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync().ConfigureAwait(false))
{
    await db.Database.EnsureCreatedAsync().ConfigureAwait(false);
    await SeedAsync(db, seedCount).ConfigureAwait(false);
}

await cached.StartAsync().ConfigureAwait(false);
await uncached.StartAsync().ConfigureAwait(false);

// One key, minted by the cached app's IApiKeyManager (as any host mints keys) and its record copied into the
// uncached app's store, so that the same key works on both.
var created = await BenchmarkKeys.CreateAsync(cached.Services.GetRequiredService<IApiKeyManager>(), "Load test key", "loadhost").ConfigureAwait(false);
var apiKey = created.Key;
await uncached.Services.GetRequiredService<IApiKeyStore>().CreateAsync(created.Record, CancellationToken.None).ConfigureAwait(false);

var jwt = BenchmarkAdminToken.Issue(TimeSpan.FromHours(2));

var temp = credentialsPath + ".tmp";
await File.WriteAllTextAsync(temp, string.Create(CultureInfo.InvariantCulture, $"""
    PORT={port}
    NOCACHE_PORT={port + 1}
    API_KEY={apiKey}
    JWT={jwt}

    """)).ConfigureAwait(false);
File.Move(temp, credentialsPath, overwrite: true); // appears whole: the script polls for it

await Task.WhenAll(cached.WaitForShutdownAsync(), uncached.WaitForShutdownAsync()).ConfigureAwait(false);
SqliteConnection.ClearAllPools();
Directory.Delete(sqliteDir, recursive: true);
return 0;

// Other keys' rows (random lookup ids and hashes), written with EF in batches of 10,000 (change tracking off), one
// transaction; then ANALYZE so that SQLite's planner has statistics, as a long-running database would.
static async Task SeedAsync(ApiKeysDbContext db, int count)
{
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    await using var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
    var created = DateTimeOffset.UtcNow.AddDays(-1);
    for (var done = 0; done < count;)
    {
        var batch = Math.Min(10_000, count - done);
        for (var i = 0; i < batch; i++)
        {
            db.ApiKeys.Add(BenchmarkKeys.Filler("Seeded key", "loadhost", created.AddTicks(done + i)));
        }

        await db.SaveChangesAsync().ConfigureAwait(false);
        db.ChangeTracker.Clear();
        done += batch;
    }

    await transaction.CommitAsync().ConfigureAwait(false);
    await db.Database.ExecuteSqlRawAsync("ANALYZE").ConfigureAwait(false);
}

WebApplication BuildApp(int listenPort, Action<ApiKeyOptions>? configure, bool addJwt, string? sqliteConnection = null)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, listenPort));
    if (sqliteConnection is null)
    {
        builder.Services.AddApiKeyAuth(configure).AddInMemoryStores();
    }
    else
    {
        builder.Services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseSqlite(sqliteConnection));
        builder.Services.AddApiKeyAuth(configure).AddEntityFrameworkCoreStores<ApiKeysDbContext>();
    }

    if (addJwt)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, FloorAuthenticationHandler>(FloorScheme, _ => { });
        builder.Services.AddAuthentication().AddJwtBearer(JwtScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = BenchmarkAdminToken.Validation();
        });
    }

    var app = builder.Build();
    app.UseAuthentication();
    app.UseAuthorization();
    return app;
}

/// <summary>
/// Succeeds at once with a one-claim principal: a principal, a ticket and a result per request, as any handler
/// must build, and nothing else. /authz-floor ÷ /anonymous is the framework's share; /apikey ÷ /authz-floor ours.
/// </summary>
internal sealed class FloorAuthenticationHandler(
    Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    System.Text.Encodings.Web.UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity([new Claim("scope", "p2p:read")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}

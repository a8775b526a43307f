using System.Text.Json;
using System.Text.Json.Serialization;
using AdminApi.Data;
using AdminApi.Hosting;
using P2P.Samples.Hosting;
using AdminApi.OpenApi;
using AdminApi.Procurement;
using Microsoft.AspNetCore.HttpLogging;
using P2P.ApiKeys;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.OpenApi;

// Content root = the sample's own folder, wherever it is started from (its appsettings and log filters load).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Resolve(args) });

// ---- Where to listen: the seed's http://127.0.0.1:8000 unless --urls / ASPNETCORE_URLS / Kestrel config say otherwise.
if (!ListenUrls.AreConfigured(builder.Configuration))
{
    builder.WebHost.UseUrls(ListenUrls.Default);
}

// ---- No Server header: it only tells an attacker what to look up (docs/security.md rule 25; see Hosting/SecurityHeaders).
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

// ---- State outside the source tree: the SQLite file and, for local runs, the generated JWT signing key.
var dataDirectory = AdminApiDataDirectory.Resolve(builder.Configuration);

// Database:Provider = Sqlite (default; adminapi.db in the data directory) or PostgreSql (ConnectionStrings:ApiKeys).
var database = AdminApiDatabase.FromConfiguration(builder.Configuration, dataDirectory);
database.AddDbContext(builder.Services);

// Fails start-up outside Development when Admin__SigningKey is missing or shorter than 256 bits.
var adminSigningKey = new AdminSigningKeyProvider(builder.Configuration, builder.Environment, dataDirectory).GetSigningKey();

// ---- API keys, admin accounts and their stores. New keys get p2p:read unless the admin names other scopes, so
// the seed's {"name": "Streamlit App Key"} key works for the dashboard with no further step.
var apiKeys = builder.Services.AddApiKeyAuth(o =>
{
    o.KeyPrefix = "p2p";
    o.DefaultScopes.Add("p2p:read");
    o.KnownScopes.Add("p2p:read"); // a key with any other scope is refused (400) with this list
    if (builder.Configuration.GetValue<TimeSpan?>("ApiKeys:CacheTtl") is { } cacheTtl)
    {
        o.CacheTtl = cacheTtl; // how long other nodes may still accept a revoked key without a change notifier
    }
});
_ = database.Provider == DatabaseProvider.PostgreSql
    ? apiKeys.AddEntityFrameworkCoreStores<PostgreSqlAdminApiDbContext>()
    : apiKeys.AddEntityFrameworkCoreStores<SqliteAdminApiDbContext>();
// Admin:Token, Admin:Password, Admin:Lockout and Admin:Endpoints from configuration (appsettings, Admin__Lockout__Threshold …).
apiKeys.AddAdminEndpoints(builder.Configuration.GetSection("Admin"), o => o.Token.SigningKey = adminSigningKey);

// ---- Per-key limits: keys without a rate limit of their own get a generous default, and one client address may cause
// only so many store lookups per minute, so a flood of random well-formed keys cannot hammer the database. A key's own
// rate_limit and quota are set on POST/PATCH /admin/keys. Limit 0 turns either off.
apiKeys.ConfigureRateLimits(o =>
{
    o.DefaultRateLimit = RateLimitSettings.Read(builder.Configuration.GetSection("ApiKeys:DefaultRateLimit"), limit: 6000, windowSeconds: 60);
    o.ClientLookupLimit = RateLimitSettings.Read(builder.Configuration.GetSection("ApiKeys:ClientLookupLimit"), limit: 120, windowSeconds: 60);
});

// ---- Several nodes: with ConnectionStrings:Redis, every node counts limits and quotas in Redis (atomic, on Redis's clock),
// so all nodes together admit what one would; without it each node counts alone. Redis down: each node limits locally.
if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redisConnection)
{
    apiKeys.AddRedisRateLimits(redisConnection, o =>
        o.DecisionTimeout = builder.Configuration.GetValue("ApiKeys:RedisDecisionTimeout", o.DecisionTimeout));
}

// ---- Several nodes: how a key change reaches the other nodes at once (ApiKeys:ChangeNotifications; see Hosting/ChangeNotifications.cs).
ChangeNotifications.Add(apiKeys, builder.Configuration, database);

// ---- Leaked keys revoke themselves (docs/secret-scanning.md): GitHub's secret-scanning reports, signed by the keys in
// SecretScanning:GitHub:PublicKeysFile (or fetched from SecretScanning:GitHub:PublicKeysUrl), and GitLab's revocation API
// with SecretScanning:GitLab:SharedSecret. SecretScanning:Action = revoke (default), disable or report. Off unless a
// scanner is configured: nothing is mapped then.
var secretScanning = builder.Configuration.GetSection("SecretScanning");
var scansForLeaks = secretScanning["GitHub:PublicKeysFile"] is { Length: > 0 } || secretScanning["GitHub:PublicKeysUrl"] is { Length: > 0 }
    || secretScanning["GitLab:SharedSecret"] is { Length: > 0 };
if (scansForLeaks)
{
    apiKeys.AddSecretScanning(o =>
    {
        secretScanning.Bind(o); // Action, TokenType, MaxMatches, MaxRequestBodyBytes, GitHub:*, GitLab:*
        o.RateLimit = RateLimitSettings.Read(secretScanning.GetSection("RateLimit"), limit: 60, windowSeconds: 60);
    });
}

// ---- The procure-to-pay demo data the dashboard reads (in memory; see ProcurementDataSet).
builder.Services.AddProcurementData();

// ---- JSON numbers are numbers: the web default also reads "42" as 42, which makes every number in the
// OpenAPI schemas "integer or string" and documents input this API has no reason to accept.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);

// ---- One JSON convention for both APIs: snake_case, as the admin endpoints and the OAuth token response already are
// (and as the seed's FastAPI backend was), so one client reads created_at, as_of and page_size alike.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

// ---- OpenAPI document (/openapi/v1.json): the library's Bearer and ApiKey schemes, security and examples, then
// the sample's title and tag descriptions.
builder.Services.AddOpenApi(options => options.AddApiKeyTransformers().AddDocumentTransformer<DocumentInfoTransformer>());

// ---- Errors as ProblemDetails, never a stack trace.
builder.Services.AddProblemDetails();

// ---- Health: /healthz (liveness, no I/O) and /healthz/ready (the library's checks as JSON, limited per client).
HealthEndpoints.Add(builder.Services, builder.Configuration);

// ---- OpenTelemetry over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set: ASP.NET Core, HttpClient and the library's
// P2P.ApiKeys spans and metrics (docs/observability.md). Nothing otherwise.
SampleTelemetry.AddIfConfigured(builder.Services, builder.Configuration, "P2P.AdminApi",
    sources: [ApiKeyDiagnostics.ActivitySourceName], meters: [ApiKeyDiagnostics.MeterName]);

// ---- Request logging: method, path (no query string), status and duration only. Never headers (X-API-Key,
// Authorization), query strings (a key may be sent there by mistake) or bodies (passwords, new keys).
builder.Services.AddHttpLogging(o =>
{
    o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
        | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
    o.RequestHeaders.Clear();
    o.ResponseHeaders.Clear();
    o.CombineLogs = true;
});

// ---- Behind a reverse proxy: believe X-Forwarded-For only from the addresses in ForwardedHeaders:KnownProxies.
var behindProxy = TrustedProxies.AddIfConfigured(builder.Services, builder.Configuration);

var app = builder.Build();
if (PortInUse.Check(app, Console.Error))
{
    return 1; // one clear line rather than Kestrel's stack trace
}

// Schema by EF Core migrations (the provider's own set), before the first request; creates the SQLite file.
await AdminApiDatabase.MigrateAsync(app.Services);

// Build the demo data now rather than on the first request.
app.Services.GetRequiredService<ProcurementDataSet>();

// Order matters: left implicit, WebApplication would put authentication and authorization *before* these, so
// 401/403 answers would be neither logged nor turned into ProblemDetails. Hence the explicit calls after them.
if (behindProxy)
{
    app.UseForwardedHeaders(); // first, so logging, the login limit and everything else see the client's address
}

app.UseSecurityHeaders(); // nosniff on every response; /docs cannot be framed
app.UseHttpLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter(); // /healthz/ready only; API keys and the token endpoint have limits of their own

app.MapOpenApi();
app.UseSwaggerUI(o =>
{
    o.RoutePrefix = "docs";
    o.DocumentTitle = "P2P AdminApi";
    o.SwaggerEndpoint("/openapi/v1.json", "P2P AdminApi v1");
});

HealthEndpoints.Map(app);

app.MapAdminEndpoints();                                  // /admin/users, /admin/token, /admin/keys ...
if (scansForLeaks)
{
    app.MapSecretScanningEndpoints();                     // /secret-scanning/github, /secret-scanning/gitlab/v1/...
}

app.MapProcurementEndpoints().RequireApiKeyScope("p2p:read");

await app.RunAsync();
return 0;

/// <summary>Entry point; public so that tests can start the host with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;

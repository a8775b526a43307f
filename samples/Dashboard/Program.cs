using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using P2P.Dashboard.Api;
using P2P.Dashboard.Components;
using P2P.Dashboard.Configuration;
using P2P.Dashboard.Diagnostics;
using P2P.Dashboard.Hosting;
using P2P.Samples.Hosting;

// Read before the host so that the .env values are known whatever the host's own configuration does;
// the process environment is never written, so the key is not inherited by anything else.
var settings = DashboardSettingsLoader.Load(Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable);

// The current directory is where the user started the dashboard (it decides which .env is read); the app's own
// files (appsettings.json, static assets) come from its build output wherever that is.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSingleton(settings);
builder.Services.AddRazorComponents();
builder.Services.AddHealthChecks();

// Data protection only guards antiforgery tokens here (no cookies, no sign-in, no circuit): keys that live as long as
// the process are enough. They are kept in memory, never written to disk, so the key manager's "No XML encryptor
// configured ... may be persisted in unencrypted form" does not apply and is not shown on every first run.
builder.Services.AddDataProtection().SetApplicationName("P2P.Dashboard");
builder.Services.Configure<KeyManagementOptions>(o => o.XmlRepository = new InMemoryKeyRepository());
builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);

builder.Services.AddProcurementApiClient(settings);

// OpenTelemetry over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set: the page requests and the calls to the API, in
// one trace with the API's own spans (traceparent). Nothing otherwise.
SampleTelemetry.AddIfConfigured(builder.Services, builder.Configuration, "P2P.Dashboard", sources: [], meters: []);

var app = builder.Build();
if (PortInUse.Check(app, Console.Error))
{
    return 1;
}

DashboardLog.SettingsLoaded(
    app.Logger, settings.ApiBaseUrl, settings.KeyPublicPart ?? "(none)", settings.KeyStatus, settings.EnvFilePath ?? "(none found)");

// docs/security.md rule 25: no sniffing, and no page of the dashboard can be framed by another site (clickjacking).
app.Use((context, next) =>
{
    var headers = context.Response.Headers;
    headers.XContentTypeOptions = "nosniff";
    headers.XFrameOptions = "DENY";
    headers.ContentSecurityPolicy = "frame-ancestors 'none'";
    return next(context);
});

// Always the friendly page, in Development too: the developer page could show request headers.
app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

// Without a usable key no data page can work: send every page request to the setup instructions.
app.Use(async (context, next) =>
{
    if (!settings.IsUsable && SetupRedirect.Applies(context.Request.Path))
    {
        context.Response.Redirect("/setup");
        return;
    }

    await next(context);
});

app.UseAntiforgery();
app.MapStaticAssets();
app.MapHealthChecks("/healthz");
app.MapRazorComponents<App>();

app.Run();
return 0;

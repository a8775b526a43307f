using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Tests.TestSupport;

/// <summary>
/// A real ASP.NET Core host on TestServer with the in-memory stores, a fake clock and every log record
/// captured. Endpoints: <c>/read</c> (scope p2p:read by policy name), <c>/write</c> (RequireApiKeyScope
/// p2p:write), <c>/anonymous</c> ([AllowAnonymous]), <c>/me</c> (any API key; echoes the claims).
/// </summary>
internal sealed class ApiKeyTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private ApiKeyTestHost(WebApplication app, FakeTimeProvider time, CountingApiKeyStore store)
    {
        App = app;
        Time = time;
        Store = store;
        Client = app.GetTestClient();
        Server = app.GetTestServer();
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public CountingApiKeyStore Store { get; }

    public HttpClient Client { get; }

    public TestServer Server { get; }

    public IServiceProvider Services => App.Services;

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public static async Task<ApiKeyTestHost> StartAsync(
        Action<ApiKeyOptions>? configure = null,
        Action<ApiKeyAuthenticationOptions>? configureScheme = null,
        Action<IServiceCollection>? configureServices = null,
        Action<WebApplication>? mapEndpoints = null,
        Action<IServiceCollection>? configureServicesFirst = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();

        var time = new FakeTimeProvider(Start);
        var store = new CountingApiKeyStore(new InMemoryApiKeyStore());
        configureServicesFirst?.Invoke(builder.Services);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IApiKeyStore>(store);
        builder.Services.AddApiKeyAuth(configure, configureScheme).AddInMemoryStores();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/read", () => "read").RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"));
        app.MapGet("/write", () => "write").RequireApiKeyScope("p2p:write");
        app.MapGet("/anonymous", () => "anonymous").AllowAnonymous();
        app.MapGet("/me", (HttpContext context) => string.Join(
                '\n',
                context.User.Claims.Select(c => c.Type + "=" + c.Value).Append("name=" + context.User.Identity!.Name)))
            .RequireAuthorization(ApiKeyPolicies.ScopePolicy());
        mapEndpoints?.Invoke(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ApiKeyTestHost(app, time, store);
    }

    public IApiKeyManager Keys => Services.GetRequiredService<IApiKeyManager>();

    /// <summary>Mints a key as any host does, through <see cref="IApiKeyManager"/>; revoked at once when <paramref name="revoked"/>.</summary>
    public async Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync(
        string[]? scopes = null, DateTimeOffset? expiresAt = null, bool revoked = false, string name = "Test key",
        ApiKeyRateLimit? rateLimit = null, ApiKeyQuota? quota = null, string? owner = "alice")
    {
        var created = await Keys.CreateAsync(
            new ApiKeyCreateRequest
            {
                Name = name, Owner = owner, Scopes = scopes ?? ["p2p:read"], ExpiresAt = expiresAt, RateLimit = rateLimit, Quota = quota,
            },
            TestContext.Current.CancellationToken);
        Assert.True(created.Succeeded, created.Detail);
        var record = created.Value!.Record;
        if (revoked)
        {
            record = (await Keys.RevokeAsync(record.Id, TestContext.Current.CancellationToken)).Value!;
        }

        return (created.Value.Key, record);
    }

    /// <summary>Revokes as any host does: through the manager, which tells the change notifier.</summary>
    public async Task RevokeAsync(ApiKeyRecord record)
    {
        var revoked = await Keys.RevokeAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.True(revoked.Succeeded, revoked.Detail);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? key = null, string headerName = "X-API-Key")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(headerName, key);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> GetWithAuthorizationAsync(string path, string scheme, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, value);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends a request built directly on the server's HttpContext: any header bytes, several values.</summary>
    public Task<HttpContext> SendRawAsync(string path, Action<HttpRequest> configure) =>
        Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            configure(context.Request);
        }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

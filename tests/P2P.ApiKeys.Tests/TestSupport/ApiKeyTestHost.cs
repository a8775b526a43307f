using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

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
        Action<WebApplication>? mapEndpoints = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();

        var time = new FakeTimeProvider(Start);
        var store = new CountingApiKeyStore(new InMemoryApiKeyStore());
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

    /// <summary>Creates a key the way the admin endpoints do: generate, hash the secret, store the record.</summary>
    public async Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync(
        string[]? scopes = null, DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null, string name = "Test key")
    {
        var format = Services.GetRequiredService<ApiKeyFormat>();
        var hasher = Services.GetRequiredService<ApiKeySecretHasher>();
        var generated = format.Generate();
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid(),
            LookupId = generated.LookupId,
            SecretHash = hasher.HashKey(format, generated.Key),
            Name = name,
            Owner = "alice",
            Scopes = [.. scopes ?? ["p2p:read"]],
            CreatedAt = Time.GetUtcNow(),
            ExpiresAt = expiresAt,
            RevokedAt = revokedAt,
        };
        await Store.CreateAsync(record, TestContext.Current.CancellationToken);
        return (generated.Key, record);
    }

    /// <summary>Revokes the way the admin endpoints do: store first, then the change notifier.</summary>
    public async Task RevokeAsync(ApiKeyRecord record, DateTimeOffset? at = null)
    {
        await Store.RevokeAsync(record.Id, at ?? Time.GetUtcNow(), TestContext.Current.CancellationToken);
        await Services.GetRequiredService<IApiKeyChangeNotifier>().KeyChangedAsync(record.LookupId, TestContext.Current.CancellationToken);
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

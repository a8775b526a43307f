using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Testing;

/// <summary>
/// One API node for change-notification tests: a real host (TestServer) with API-key authentication on the stores
/// and notifier the test chooses, the system clock, and collectors of the notifier's connection metrics created
/// before the host starts, so that "listening" and "listening again" are awaited, never slept for.
/// </summary>
public sealed class ChangeNotificationNode : IAsyncDisposable
{
    private readonly MetricCollector<long> _connections;
    private readonly MetricCollector<long> _disconnections;

    private ChangeNotificationNode(WebApplication app)
    {
        App = app;
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        _connections = new MetricCollector<long>(meters, "P2P.ApiKeys", "p2p.apikeys.change_notifier.connections");
        _disconnections = new MetricCollector<long>(meters, "P2P.ApiKeys", "p2p.apikeys.change_notifier.disconnections");
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a node; <paramref name="configure"/> adds the stores and the notifier to the builder.</summary>
    public static async Task<ChangeNotificationNode> StartAsync(TimeSpan cacheTtl, Action<IServiceCollection, ApiKeyAuthBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var auth = builder.Services.AddApiKeyAuth(o => o.CacheTtl = cacheTtl);
        configure(builder.Services, auth);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", () => "ok").RequireApiKeyScope("p2p:read");
        var node = new ChangeNotificationNode(app);
        await app.StartAsync(Ct);
        return node;
    }

    /// <summary>Completes once the notifier has started listening <paramref name="times"/> times in all.</summary>
    public Task WaitUntilConnectedAsync(int times, TimeSpan timeout) => _connections.WaitForMeasurementsAsync(times, timeout);

    /// <summary>Completes once the notifier has reported <paramref name="times"/> lost connections in all.</summary>
    public Task WaitUntilDisconnectedAsync(int times, TimeSpan timeout) => _disconnections.WaitForMeasurementsAsync(times, timeout);

    public int Connections => _connections.GetMeasurementSnapshot().Count;

    /// <summary>Mints a key with scope <c>p2p:read</c> through the node's <see cref="IApiKeyManager"/>.</summary>
    public async Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync()
    {
        var created = await Services.GetRequiredService<IApiKeyManager>().CreateAsync(new() { Name = "notifier test key", Scopes = ["p2p:read"] }, Ct);
        Assert.True(created.Succeeded);
        return (created.Value.Key, created.Value.Record);
    }

    /// <summary>Revokes through the manager: the conditional store write, then the change notifier (local eviction, publish).</summary>
    public async Task RevokeAsync(ApiKeyRecord record) =>
        Assert.True((await Services.GetRequiredService<IApiKeyManager>().RevokeAsync(record.Id, Ct)).Succeeded);

    public async Task<HttpStatusCode> StatusAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
        request.Headers.Add("X-API-Key", key);
        using var response = await App.GetTestClient().SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>Calls with <paramref name="key"/> until the node refuses it; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilRefusedAsync(string key, TimeSpan timeout, string because)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(timeout);
        while (await StatusAsync(key) != HttpStatusCode.Unauthorized)
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"The node still accepted the key after {timeout.TotalSeconds} s: {because}");
            }

            await Task.Delay(20, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _connections.Dispose();
        _disconnections.Dispose();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.HealthChecks;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.HealthChecks;

/// <summary>
/// The three checks of <c>AddApiKeyHealthChecks</c> through the framework's <see cref="HealthCheckService"/>, with a
/// fake clock. A notifier here is what a notifier package is to the library: a publisher with a name that reports
/// through the public <see cref="IApiKeyChangeReceiver"/>. The real notifiers are checked in their own test projects.
/// </summary>
public sealed class ApiKeyHealthChecksTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingApiKeyStore _store = new(new InMemoryApiKeyStore());
    private ServiceProvider? _services;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealth_InMemoryStoreNoNotifierLocalLimiter_AllThreeHealthy()
    {
        var report = await CheckAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal([ApiKeyHealthCheckNames.ChangeNotifier, ApiKeyHealthCheckNames.RateLimiter, ApiKeyHealthCheckNames.Store], report.Entries.Keys.Order());
        Assert.All(report.Entries.Values, e => Assert.Equal(["p2p_apikeys", "ready"], e.Tags));
        Assert.Equal(1, _store.Lookups); // one indexed lookup, nothing else
    }

    [Fact]
    public async Task CheckHealth_StoreThrows_StoreUnhealthyWithoutTheMessage()
    {
        _store.Failure = new InvalidOperationException("Host=db.internal;Password=hunter2");

        var entry = (await CheckAsync()).Entries[ApiKeyHealthCheckNames.Store];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.DoesNotContain("hunter2", entry.Description, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_NotifierLifecycle_UnhealthyThenHealthyThenDegradedWhenSilentThenHealthyOnHeartbeat()
    {
        var receiver = Services(notifier: true).GetRequiredService<IApiKeyChangeReceiver>();

        Assert.Equal(HealthStatus.Unhealthy, await NotifierStatusAsync()); // registered, never connected
        receiver.Connected("test");
        Assert.Equal(HealthStatus.Healthy, await NotifierStatusAsync());

        _time.Advance(TimeSpan.FromSeconds(61)); // default NotifierHeartbeatTimeout: 1 minute
        var silent = (await CheckAsync()).Entries[ApiKeyHealthCheckNames.ChangeNotifier];
        Assert.Equal(HealthStatus.Degraded, silent.Status);
        Assert.Equal("silent", silent.Data["test"]);

        receiver.Heartbeat("test");
        Assert.Equal(HealthStatus.Healthy, await NotifierStatusAsync());
        _time.Advance(TimeSpan.FromSeconds(61));
        receiver.KeyChanged("test", "AbCdEf123456"); // a change is a heartbeat too
        Assert.Equal(HealthStatus.Healthy, await NotifierStatusAsync());

        receiver.Disconnected("test", new TimeoutException("secret connection detail"));
        var down = (await CheckAsync()).Entries[ApiKeyHealthCheckNames.ChangeNotifier];
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Contains(nameof(TimeoutException), down.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", down.Description, StringComparison.Ordinal);

        receiver.Connected("test");
        Assert.Equal(HealthStatus.Healthy, await NotifierStatusAsync());
    }

    [Fact]
    public async Task AddApiKeyHealthChecks_FailureStatusAndTimeoutConfigured_DisconnectedIsDegraded()
    {
        var services = Services(notifier: true, configure: o =>
        {
            o.FailureStatus = HealthStatus.Degraded;
            o.NotifierHeartbeatTimeout = TimeSpan.FromSeconds(5);
        });
        var receiver = services.GetRequiredService<IApiKeyChangeReceiver>();
        receiver.Connected("test");
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(HealthStatus.Degraded, await NotifierStatusAsync());

        receiver.Disconnected("test", null);

        Assert.Equal(HealthStatus.Degraded, await NotifierStatusAsync());
    }

    [Fact]
    public void AddApiKeyHealthChecks_NonPositiveHeartbeatTimeout_FailsValidationWithTheOptionName()
    {
        var services = Services(notifier: false, configure: o => o.NotifierHeartbeatTimeout = TimeSpan.Zero);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyHealthCheckOptions>>().Value);

        Assert.Contains("NotifierHeartbeatTimeout", failure.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private async Task<HealthStatus> NotifierStatusAsync() => (await CheckAsync()).Entries[ApiKeyHealthCheckNames.ChangeNotifier].Status;

    private Task<HealthReport> CheckAsync() => (_services ?? Services(notifier: false)).GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

    private ServiceProvider Services(bool notifier, Action<ApiKeyHealthCheckOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddApiKeyAuth();
        services.AddSingleton<IApiKeyStore>(_store);
        if (notifier)
        {
            services.AddSingleton<IApiKeyChangePublisher, TestPublisher>();
        }

        services.AddHealthChecks().AddApiKeyHealthChecks(configure);
        return _services = services.BuildServiceProvider();
    }

    private sealed class TestPublisher : IApiKeyChangePublisher
    {
        public string Name => "test";

        public ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

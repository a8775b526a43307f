using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.Tests.Admin;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.ChangeNotifications;

/// <summary>
/// The notifier contract: the library evicts on this node first, then hands the change to every registered
/// <see cref="IApiKeyChangePublisher"/>; a failed or hung publisher never fails the caller. What a notifier
/// receives goes through <see cref="IApiKeyChangeReceiver"/>, which evicts, and clears the cache on (re)connection.
/// </summary>
public sealed class ApiKeyChangeNotificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KeyChangedAsync_NoPublisher_EvictsOnThisNode()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromMinutes(10));
        var (key, record) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);

        await host.RevokeAsync(record);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/read", key)).StatusCode);
    }

    [Fact]
    public async Task KeyChangedAsync_TwoPublishers_EvictsFirstThenPublishesToEach()
    {
        var first = new RecordingPublisher("first");
        var second = new RecordingPublisher("second");
        await using var host = await ApiKeyTestHost.StartAsync(
            o => o.CacheTtl = TimeSpan.FromMinutes(10),
            configureServices: s =>
            {
                s.AddSingleton<IApiKeyChangePublisher>(first);
                s.AddSingleton<IApiKeyChangePublisher>(second);
            });
        var cache = host.Services.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>();
        first.OnPublish = _ => Assert.Equal(0, cache.Count); // evicted before anything is published
        var (key, record) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        Assert.Equal(1, cache.Count);

        await host.RevokeAsync(record);

        Assert.Equal([record.LookupId], first.Published);
        Assert.Equal([record.LookupId], second.Published);
    }

    [Fact]
    public async Task KeyChangedAsync_PublisherThrows_EvictsPublishesToOthersLogsAndCountsWithoutThrowing()
    {
        var failing = new RecordingPublisher("broken") { OnPublish = _ => throw new InvalidOperationException("broker down") };
        var working = new RecordingPublisher("working");
        await using var host = await ApiKeyTestHost.StartAsync(
            o => o.CacheTtl = TimeSpan.FromMinutes(10),
            configureServices: s =>
            {
                s.AddSingleton<IApiKeyChangePublisher>(failing);
                s.AddSingleton<IApiKeyChangePublisher>(working);
            });
        using var published = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), "P2P.ApiKeys", "p2p.apikeys.changes.published");
        var (key, record) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);

        await host.RevokeAsync(record);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/read", key)).StatusCode);
        Assert.Equal([record.LookupId], working.Published);
        var failure = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 1100);
        Assert.Contains("broken", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, failure.Message, StringComparison.Ordinal);
        Assert.Contains(published.GetMeasurementSnapshot(), m => (string?)m.Tags["p2p.api_key.notifier"] == "broken" && (string?)m.Tags["p2p.api_key.outcome"] == "failure");
        Assert.Contains(published.GetMeasurementSnapshot(), m => (string?)m.Tags["p2p.api_key.notifier"] == "working" && (string?)m.Tags["p2p.api_key.outcome"] == "success");
    }

    [Fact]
    public async Task KeyChangedAsync_PublisherHangs_GivesUpAfterPublishTimeout()
    {
        var hung = new HungPublisher();
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: s =>
            s.AddSingleton<IApiKeyChangePublisher>(hung));
        var (_, record) = await host.CreateKeyAsync();

        var pending = host.RevokeAsync(record);
        await hung.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(pending.IsCompleted);
        host.Time.Advance(ApiKeyChangeNotifier.PublishTimeout);

        await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct); // completes, does not throw
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1100);
    }

    [Fact]
    public async Task RevokeKey_PublisherFails_AdminCallStillSucceeds()
    {
        var failing = new RecordingPublisher("broken") { OnPublish = _ => throw new InvalidOperationException("broker down") };
        await using var host = await AdminTestHost.StartAsync(services: s =>
            s.AddSingleton<IApiKeyChangePublisher>(failing));
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var id = created.GetProperty("id").GetString()!;

        using var response = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([created.GetProperty("lookup_id").GetString()!], failing.Published);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1100);
    }

    [Fact]
    public async Task KeyChanged_FromAnotherNode_EvictsAndCounts()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromMinutes(10));
        using var received = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), "P2P.ApiKeys", "p2p.apikeys.changes.received");
        var (key, record) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        var cache = host.Services.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>();
        Assert.Equal(1, cache.Count);

        host.Services.GetRequiredService<IApiKeyChangeReceiver>().KeyChanged("test", record.LookupId);

        Assert.Equal(0, cache.Count);
        Assert.Equal("test", Assert.Single(received.GetMeasurementSnapshot()).Tags["p2p.api_key.notifier"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage payload!")]
    [InlineData("p2p_AAAAAAAAAAAA_secretsecretsecretsecretsecret00")]
    [InlineData("AAAAAAAAAAAA\r\nforged log line")]
    public async Task KeyChanged_MalformedPayload_IgnoredAndNotLogged(string payload)
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromMinutes(10));
        var (key, _) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);

        host.Services.GetRequiredService<IApiKeyChangeReceiver>().KeyChanged("test", payload);

        Assert.Equal(1, host.Services.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>().Count);
        var ignored = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 1102);
        Assert.True(payload.Length == 0 || !ignored.Message.Contains(payload, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connected_AfterAnOutage_ClearsTheWholeCacheAndLogs()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromMinutes(10));
        var (first, _) = await host.CreateKeyAsync();
        var (second, _) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", second)).StatusCode);
        var cache = host.Services.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>();
        var receiver = host.Services.GetRequiredService<IApiKeyChangeReceiver>();
        Assert.Equal(2, cache.Count);

        receiver.Disconnected("test", new IOException("connection reset"));
        Assert.Equal(2, cache.Count); // during the outage the cache (bounded by CacheTtl) keeps serving
        receiver.Connected("test");

        Assert.Equal(0, cache.Count);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1104);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1103);
    }

    private sealed class RecordingPublisher(string name) : IApiKeyChangePublisher
    {
        public List<string> Published { get; } = [];

        public Action<string>? OnPublish { get; set; }

        public string Name => name;

        public ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken)
        {
            lock (Published)
            {
                Published.Add(lookupId);
            }

            OnPublish?.Invoke(lookupId);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class HungPublisher : IApiKeyChangePublisher
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "hung";

        public async ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}

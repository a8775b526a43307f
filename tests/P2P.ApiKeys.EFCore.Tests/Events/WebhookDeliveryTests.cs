using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Events;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.EFCore.Tests.Events;

/// <summary>
/// Issue 24, events through the outbox, on real SQLite files and a real PostgreSQL database, delivered to a real Kestrel
/// receiver that verifies every request with the <c>StandardWebhooks</c> package: one outbox row per change in the change's
/// transaction (none for a failed change), payloads without the key or its hash, both signatures of a secret rotation,
/// per-endpoint filters, retries with the same <c>webhook-id</c>, in-process handlers, and two dispatchers on one
/// database delivering each event once.
/// </summary>
public sealed class WebhookDeliveryTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-apikeys-events-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Webhooks_OnSqlite_SignedFilteredRetriedWithTheSameId()
    {
        await AssertDeliveryAsync(o => o.UseSqlite(SqliteFile()), reset: null);
    }

    [Fact]
    public async Task Webhooks_OnPostgreSql_SignedFilteredRetriedWithTheSameId()
    {
        await AssertDeliveryAsync(o => o.UseNpgsql(postgres.ConnectionString), reset: postgres.ResetAsync);
    }

    [Fact]
    public async Task TwoDispatchers_OnPostgreSql_DeliverEachEventOnce()
    {
        await AssertTwoDispatchersAsync(o => o.UseNpgsql(postgres.ConnectionString), postgres.ResetAsync);
    }

    [Fact]
    public async Task TwoDispatchers_OnSqlite_DeliverEachEventOnce()
    {
        await AssertTwoDispatchersAsync(o => o.UseSqlite(SqliteFile()), reset: null);
    }

    private static async Task AssertDeliveryAsync(Action<DbContextOptionsBuilder> database, Func<Task<IServiceProvider>>? reset)
    {
        if (reset is not null)
        {
            await reset();
        }

        var (old, current, revokedOnly) = (NewSecret(), NewSecret(), NewSecret());
        await using var all = await WebhookReceiver.StartAsync(old, current);
        await using var filtered = await WebhookReceiver.StartAsync(revokedOnly);
        all.FailFirst = 4; // the first delivery and its two quick retries fail, then the outbox's back-off, then one more
        var handled = new List<ApiKeyEvent>();
        await using var services = Build(database, o =>
        {
            o.Endpoints.Add(Endpoint(all.Url, old, current));
            var revokes = Endpoint(filtered.Url, revokedOnly);
            revokes.Events.Add(ApiKeyEventTypes.Revoked);
            o.Endpoints.Add(revokes);
        }, s => s.AddSingleton<IApiKeyEventHandler>(new RecordingHandler(handled)));
        if (reset is null)
        {
            await StoreServices.EnsureCreatedAsync(services);
        }

        var manager = services.GetRequiredService<IApiKeyManager>();
        var created = (await manager.CreateAsync(new() { Name = "hooked", Owner = "acme", Metadata = new Dictionary<string, string> { ["plan"] = "pro" } }, Ct)).Value!;
        Assert.True((await manager.RevokeAsync(created.Record.Id, AuditActor.Admin("alice"), Ct)).Succeeded);
        Assert.Equal(ApiKeyError.Conflict, (await manager.RevokeAsync(created.Record.Id, Ct)).Error); // failed: no event
        var outbox = services.GetRequiredService<IApiKeyEventOutbox>();
        Assert.Equal(2, await outbox.CountPendingAsync(Ct));

        var dispatcher = services.GetRequiredService<ApiKeyEventDispatcher>();
        await DrainAsync(dispatcher, outbox, () => $"all: {all.Requests} requests, {all.BadSignatures} bad, {all.Accepted.Count} ok; filtered: {filtered.Requests}, {filtered.BadSignatures} bad, {filtered.Accepted.Count} ok");

        Assert.Equal(0, all.BadSignatures + filtered.BadSignatures);
        Assert.Equal(["api_key.created", "api_key.revoked"], all.Accepted.Select(a => a.Type).Order(StringComparer.Ordinal));
        var revoked = Assert.Single(filtered.Accepted);
        Assert.Equal("api_key.revoked", revoked.Type);
        Assert.Equal(revoked.Id, all.Accepted.Single(a => a.Type == "api_key.revoked").Id);

        // Every attempt of the created event carried the same id; it was retried (4 failures), then accepted once.
        Assert.True(all.Requests >= 6);
        var createdEvent = all.Accepted.Single(a => a.Type == "api_key.created");
        Assert.StartsWith("evt_", createdEvent.Id, StringComparison.Ordinal);
        var data = createdEvent.Body.GetProperty("data");
        Assert.Equal(created.Record.Id, data.GetProperty("id").GetGuid());
        Assert.Equal(created.Record.LineageId, data.GetProperty("lineage_id").GetGuid());
        Assert.Equal(created.Record.LookupId, data.GetProperty("lookup_id").GetString());
        Assert.Equal("acme", data.GetProperty("owner").GetString());
        Assert.Equal("pro", data.GetProperty("metadata").GetProperty("plan").GetString());
        Assert.Equal("system", data.GetProperty("actor").GetProperty("kind").GetString());
        Assert.Equal("alice", revoked.Body.GetProperty("data").GetProperty("actor").GetProperty("name").GetString());
        var text = createdEvent.Body.GetRawText();
        Assert.DoesNotContain(created.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[^38..^6], text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(created.Record.SecretHash), text, StringComparison.Ordinal);

        // In-process handlers see the same events, with the same ids (a retry calls them again: at least once).
        Assert.Contains(handled, e => e.Id == createdEvent.Id && e.Type == "api_key.created");
        Assert.Contains(handled, e => e.Id == revoked.Id && e.KeyId == created.Record.Id);
    }

    private static async Task AssertTwoDispatchersAsync(Action<DbContextOptionsBuilder> database, Func<Task<IServiceProvider>>? reset)
    {
        if (reset is not null)
        {
            await reset();
        }

        var secret = NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        await using var first = Build(database, o => { o.Endpoints.Add(Endpoint(receiver.Url, secret)); o.NodeName = "node-a"; o.BatchSize = 5; });
        await using var second = Build(database, o => { o.Endpoints.Add(Endpoint(receiver.Url, secret)); o.NodeName = "node-b"; o.BatchSize = 5; });
        if (reset is null)
        {
            await StoreServices.EnsureCreatedAsync(first);
        }

        var manager = first.GetRequiredService<IApiKeyManager>();
        for (var i = 0; i < 30; i++)
        {
            await manager.CreateAsync(new() { Name = $"k{i}" }, Ct);
        }

        var outbox = first.GetRequiredService<IApiKeyEventOutbox>();
        await Task.WhenAll(
            Task.Run(() => DrainAsync(first.GetRequiredService<ApiKeyEventDispatcher>(), outbox), Ct),
            Task.Run(() => DrainAsync(second.GetRequiredService<ApiKeyEventDispatcher>(), outbox), Ct));

        var logs = string.Join('\n', first.GetFakeLogCollector().GetSnapshot().Concat(second.GetFakeLogCollector().GetSnapshot())
            .Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Information && r.Category!.Contains("Event", StringComparison.Ordinal))
            .Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Message}"));
        Assert.True(30 == receiver.Accepted.Count, $"{receiver.Accepted.Count} accepted, {receiver.Requests} requests\n{logs}");
        Assert.Equal(30, receiver.Accepted.Select(a => a.Id).Distinct().Count());
        Assert.Equal(0, receiver.BadSignatures);
    }

    private static async Task DrainAsync(ApiKeyEventDispatcher dispatcher, IApiKeyEventOutbox outbox, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await outbox.CountPendingAsync(Ct) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox did not drain within a minute. " + state?.Invoke());
            if (await dispatcher.DispatchOnceAsync(Ct) == 0)
            {
                await Task.Delay(20, Ct);
            }
        }
    }

    private static ApiKeyWebhookEndpoint Endpoint(string url, string secret, string? second = null)
    {
        var endpoint = new ApiKeyWebhookEndpoint { Url = url, Secret = secret };
        if (second is not null)
        {
            endpoint.AdditionalSecrets.Add(second);
        }

        return endpoint;
    }

    private string SqliteFile() =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "events.db") }.ToString();

    private static ServiceProvider Build(Action<DbContextOptionsBuilder> database, Action<ApiKeyEventOptions> configure, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddRouting();
        services.AddPooledDbContextFactory<ApiKeysDbContext>(database);
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddApiKeyEvents(o =>
        {
            o.Retry.InitialDelay = TimeSpan.FromMilliseconds(50);
            configure(o);
        });
        more?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _ = provider.GetRequiredService<IOptions<ApiKeyEventOptions>>().Value; // validated as at start-up
        return provider;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is not a test failure.
        }

        return ValueTask.CompletedTask;
    }

    private sealed class RecordingHandler(List<ApiKeyEvent> events) : IApiKeyEventHandler
    {
        public Task HandleAsync(ApiKeyEvent apiKeyEvent, CancellationToken cancellationToken)
        {
            lock (events)
            {
                events.Add(apiKeyEvent);
            }

            return Task.CompletedTask;
        }
    }
}

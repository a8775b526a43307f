using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.HealthChecks;
using P2P.ApiKeys.PostgreSql.Tests.ChangeNotifications;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.PostgreSql.Tests.HealthChecks;

/// <summary>
/// <c>AddApiKeyHealthChecks</c> on a node with the EF Core store and the LISTEN/NOTIFY notifier on real PostgreSQL:
/// healthy; degraded when the notifier is silent past the heartbeat timeout (a fake clock); healthy again on the
/// next NOTIFY; unhealthy when the server ends the LISTEN connection; healthy once it listens again. The store
/// check is unhealthy against a server that does not answer.
/// </summary>
public sealed class PostgreSqlHealthCheckTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60); // a hang guard under load

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealth_ListenerSilentThenNotifiedThenTerminatedThenBack_HealthyDegradedHealthyUnhealthyHealthy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var connectionString = database.ConnectionStringFor("health-node");
        await using var node = await ChangeNotificationNode.StartAsync(TimeSpan.FromMinutes(10), (services, auth) =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseNpgsql(connectionString));
            auth.AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddPostgreSqlChangeNotifications(database.ConnectionStringFor("health-node-listener"), o =>
            {
                o.ReconnectDelay = TimeSpan.FromSeconds(1); // on the fake clock: the test decides when it reconnects
                o.KeepAliveInterval = TimeSpan.FromHours(1); // no keep-alive heartbeat during the test
            });
            services.AddHealthChecks().AddApiKeyHealthChecks();
        });
        await node.WaitUntilConnectedAsync(1, Prompt);

        var healthy = await CheckAsync(node.Services);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal("connected", healthy.Entries[ApiKeyHealthCheckNames.ChangeNotifier].Data["postgresql"]);

        // Silent for longer than the heartbeat timeout (1 minute): degraded, not unhealthy.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(node.Services)).Entries[ApiKeyHealthCheckNames.ChangeNotifier].Status);

        // A change made on this node comes back over LISTEN: heard from, healthy again.
        var (_, record) = await node.CreateKeyAsync();
        await node.RevokeAsync(record);
        await WaitForNotifierStatusAsync(node.Services, HealthStatus.Healthy);

        // The server ends the LISTEN connection: unhealthy (other nodes' changes now arrive within CacheTtl only).
        // (The listener, and the pooled connection that published the revocation.)
        Assert.InRange(await database.TerminateConnectionsAsync("health-node-listener"), 1, 2);
        await node.WaitUntilDisconnectedAsync(1, Prompt);
        var down = await CheckAsync(node.Services);
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Equal(HealthStatus.Healthy, down.Entries[ApiKeyHealthCheckNames.Store].Status);
        Assert.Equal("disconnected", down.Entries[ApiKeyHealthCheckNames.ChangeNotifier].Data["postgresql"]);

        // The reconnect delay passes: it listens again. The delay waits on the fake clock, but its timer may not exist
        // yet when the disconnect is observed (a loaded machine): advance until it has fired, bounded, not just once.
        for (var attempt = 1; ; attempt++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                await node.WaitUntilConnectedAsync(2, TimeSpan.FromSeconds(2));
                break;
            }
            catch (OperationCanceledException) when (attempt < 30)
            {
            }
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(node.Services)).Status);
    }

    [Fact]
    public async Task CheckHealth_StoreOnAServerThatDoesNotAnswer_StoreUnhealthy()
    {
        _ = database.ConnectionString; // skips without PostgreSQL, like every test here
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = 1, Timeout = 2 }.ToString();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseNpgsql(unreachable));
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        services.AddHealthChecks().AddApiKeyHealthChecks();
        await using var provider = services.BuildServiceProvider();

        var entry = (await CheckAsync(provider)).Entries[ApiKeyHealthCheckNames.Store];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.DoesNotContain("Password", entry.Description, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<HealthReport> CheckAsync(IServiceProvider services) =>
        services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

    private static async Task WaitForNotifierStatusAsync(IServiceProvider services, HealthStatus expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = (await CheckAsync(services)).Entries[ApiKeyHealthCheckNames.ChangeNotifier].Status;
            if (status == expected)
            {
                return;
            }

            Assert.True(deadline.Elapsed < Prompt, $"The notifier check stayed {status}, not {expected}.");
            await Task.Delay(20, Ct);
        }
    }
}

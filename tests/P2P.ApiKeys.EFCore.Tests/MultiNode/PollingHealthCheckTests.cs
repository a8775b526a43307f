using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.HealthChecks;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.EFCore.Tests.MultiNode;

/// <summary>
/// The polling notifier reports each poll that works as a heartbeat, and a poll that fails as an outage, to the
/// notifier health check. On a SQLite file and a fake clock, so that the test moves time, not the wall clock.
/// </summary>
public sealed class PollingHealthCheckTests : IAsyncDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60); // a hang guard under load
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-polling-health-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealth_PollsAfterAMinuteThenFeedTableGone_HealthyThenUnhealthy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "keys.db") }.ToString();
        await using (var db = new ApiKeysDbContext(new DbContextOptionsBuilder<ApiKeysDbContext>().UseSqlite(connectionString).Options))
        {
            await db.Database.EnsureCreatedAsync(Ct);
        }

        await using var node = await ChangeNotificationNode.StartAsync(TimeSpan.FromMinutes(10), (services, auth) =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseSqlite(connectionString));
            auth.AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddPollingChangeNotifications<ApiKeysDbContext>(o => o.PollInterval = TimeSpan.FromSeconds(10));
            services.AddHealthChecks().AddApiKeyHealthChecks();
        });
        await node.WaitUntilConnectedAsync(1, Prompt);
        Assert.Equal(HealthStatus.Healthy, await NotifierStatusAsync(node.Services));

        // More than the heartbeat timeout passes, with polls in it: each poll is a heartbeat, so it stays healthy.
        time.Advance(TimeSpan.FromSeconds(70));
        await WaitForNotifierStatusAsync(node.Services, HealthStatus.Healthy);

        // The change feed disappears: the next poll fails, an outage.
        await using (var db = new ApiKeysDbContext(new DbContextOptionsBuilder<ApiKeysDbContext>().UseSqlite(connectionString).Options))
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE p2p_api_key_changes", Ct);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        await node.WaitUntilDisconnectedAsync(1, Prompt);
        Assert.Equal(HealthStatus.Unhealthy, await NotifierStatusAsync(node.Services));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<HealthStatus> NotifierStatusAsync(IServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct)).Entries[ApiKeyHealthCheckNames.ChangeNotifier].Status;

    private static async Task WaitForNotifierStatusAsync(IServiceProvider services, HealthStatus expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await NotifierStatusAsync(services);
            if (status == expected)
            {
                return;
            }

            Assert.True(deadline.Elapsed < Prompt, $"The notifier check stayed {status}, not {expected}.");
            await Task.Delay(20, Ct);
        }
    }
}

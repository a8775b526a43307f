using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using P2P.ApiKeys.EFCore.ChangeNotifications;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.EFCore.Tests.MultiNode;

/// <summary>
/// The provider-neutral fallback: every node polls the change-feed table. Two nodes on one database, each with a
/// 10-minute CacheTtl, so that only the poller can make the other node refuse a revoked key in time. Waits are
/// bounded far below the CacheTtl and end on a deterministic signal, never on a fixed sleep.
/// </summary>
public sealed class PollingChangeNotificationTests : IAsyncDisposable
{
    private static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60); // a hang guard under load, far below the CacheTtl
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-polling-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Revoke_OnOneNode_OtherNodeOnTheSameSqliteFileRefusesWithinAPoll()
    {
        var connectionString = await CreateSqliteAsync();
        await using var nodeA = await StartNodeAsync(o => o.UseSqlite(connectionString));
        await using var nodeB = await StartNodeAsync(o => o.UseSqlite(connectionString));
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key)); // cached on B for 10 minutes

        await nodeA.RevokeAsync(record);

        Assert.Equal(HttpStatusCode.Unauthorized, await nodeA.StatusAsync(key));
        await nodeB.WaitUntilRefusedAsync(key, Prompt, "the poller did not read the change feed");
    }

    [Fact]
    public async Task DatabaseUnreachableFromOneNode_BetweenWarmUpAndRevocation_RefusedWithinCacheTtlThenFastAgain()
    {
        await using var database = await RelayedPostgresDatabase.CreateAsync("polling", Ct);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var server = new NpgsqlConnectionStringBuilder(Infrastructure.Infrastructure.PostgresConnectionString);
        direct.Host = server.Host;
        direct.Port = server.Port;
        await using (var db = new ApiKeysDbContext(new DbContextOptionsBuilder<ApiKeysDbContext>().UseNpgsql(direct.ToString()).Options))
        {
            await db.Database.EnsureCreatedAsync(Ct);
        }

        await using var nodeA = await StartNodeAsync(o => o.UseNpgsql(direct.ToString()));
        await using var nodeB = await StartNodeAsync(o => o.UseNpgsql(database.ConnectionString)); // B reaches the database through the relay
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (first, firstRecord) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(first)); // warm-up: cached on B

        // Chaos: B loses the database; A revokes meanwhile.
        await database.Relay.StopAsync();
        NpgsqlConnection.ClearAllPools();
        await nodeB.WaitUntilDisconnectedAsync(1, TimeSpan.FromSeconds(60));
        await nodeA.RevokeAsync(firstRecord);
        database.Relay.Start();

        // B polls again, starts from the end of the feed and clears its cache: the key is refused.
        await nodeB.WaitUntilConnectedAsync(2, TimeSpan.FromSeconds(60));
        await nodeB.WaitUntilRefusedAsync(first, Prompt, "it was not refused after the poller came back");

        // After the recovery, propagation takes a poll again.
        var (second, secondRecord) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(second));
        await nodeA.RevokeAsync(secondRecord);
        await nodeB.WaitUntilRefusedAsync(second, Prompt, "the poller after the recovery did not read the change");
    }

    [Fact]
    public async Task Poll_RowsOlderThanRetention_ArePruned()
    {
        var connectionString = await CreateSqliteAsync();
        await using (var db = CreateContext(connectionString))
        {
            db.Set<ApiKeyChange>().AddRange(
                new ApiKeyChange { LookupId = "AAAAAAAAAAAA", ChangedAt = DateTimeOffset.UtcNow.AddHours(-2) },
                new ApiKeyChange { LookupId = "BBBBBBBBBBBB", ChangedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        await using var node = await StartNodeAsync(o => o.UseSqlite(connectionString));
        await node.WaitUntilConnectedAsync(1, Prompt);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Prompt);
        while (true)
        {
            await using var db = CreateContext(connectionString);
            var left = await db.Set<ApiKeyChange>().Select(c => c.LookupId).ToListAsync(Ct);
            if (left is ["BBBBBBBBBBBB"])
            {
                break; // the old row is gone, the recent one kept
            }

            Assert.False(deadline.IsCancellationRequested, $"Rows left: {string.Join(", ", left)}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Poll_ChangeFeedTableMissing_ReportedAsAnOutageNotSilently()
    {
        // A host that forgot the migration: the first poll fails, and says so at Warning (event 1104).
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "empty.db") }.ToString();
        await using var node = await StartNodeAsync(o => o.UseSqlite(connectionString));

        await node.WaitUntilDisconnectedAsync(1, Prompt);
        Assert.Equal(0, node.Connections);
    }

    [Fact]
    public async Task Start_RetentionNotLongerThanLookback_FailsWithAClearMessage()
    {
        var connectionString = await CreateSqliteAsync();
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => ChangeNotificationNode.StartAsync(CacheTtl, (services, auth) =>
        {
            services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseSqlite(connectionString));
            auth.AddEntityFrameworkCoreStores<ApiKeysDbContext>()
                .AddPollingChangeNotifications<ApiKeysDbContext>(o => o.Retention = TimeSpan.FromSeconds(1));
        }));

        Assert.Contains("PollingChangeNotificationOptions.Retention", exception.Message, StringComparison.Ordinal);
    }

    private async Task<string> CreateSqliteAsync()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, $"{Guid.NewGuid():N}.db") }.ToString();
        await using var db = CreateContext(connectionString);
        await db.Database.EnsureCreatedAsync(Ct);
        return connectionString;
    }

    private static ApiKeysDbContext CreateContext(string sqlite) =>
        new(new DbContextOptionsBuilder<ApiKeysDbContext>().UseSqlite(sqlite).Options);

    private static Task<ChangeNotificationNode> StartNodeAsync(Action<DbContextOptionsBuilder> database) =>
        ChangeNotificationNode.StartAsync(CacheTtl, (services, auth) =>
        {
            services.AddPooledDbContextFactory<ApiKeysDbContext>(database);
            auth.AddEntityFrameworkCoreStores<ApiKeysDbContext>()
                .AddPollingChangeNotifications<ApiKeysDbContext>(o => o.PollInterval = PollInterval);
        });

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
}

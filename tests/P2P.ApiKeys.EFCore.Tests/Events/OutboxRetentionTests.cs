using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Events;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Tests.Events;

/// <summary>
/// The EF Core outbox deletes delivered and failed rows past the retention in batches of the size asked, oldest first, and
/// never a pending row: on a real SQLite file and a real PostgreSQL database, on a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class OutboxRetentionTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-apikeys-retention-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prune_OnSqlite_FinishedRowsAfterRetentionInBatches_NeverPending()
    {
        var file = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "retention.db") }.ToString();
        await AssertPruneAsync(o => o.UseSqlite(file), reset: null);
    }

    [Fact]
    public async Task Prune_OnPostgreSql_FinishedRowsAfterRetentionInBatches_NeverPending()
    {
        await AssertPruneAsync(o => o.UseNpgsql(postgres.ConnectionString), postgres.ResetAsync);
    }

    private static async Task AssertPruneAsync(Action<DbContextOptionsBuilder> database, Func<Task<IServiceProvider>>? reset)
    {
        if (reset is not null)
        {
            await reset();
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouting();
        services.AddSingleton<TimeProvider>(time);
        services.AddPooledDbContextFactory<ApiKeysDbContext>(database);
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddApiKeyEvents();
        await using var provider = services.BuildServiceProvider();
        if (reset is null)
        {
            await StoreServices.EnsureCreatedAsync(provider);
        }

        var manager = provider.GetRequiredService<IApiKeyManager>();
        var outbox = provider.GetRequiredService<IApiKeyEventOutbox>();
        var dispatcher = provider.GetRequiredService<ApiKeyEventDispatcher>();
        for (var i = 0; i < 11; i++)
        {
            Assert.True((await manager.CreateAsync(new() { Name = $"k{i}" }, Ct)).Succeeded);
        }

        Assert.Equal(11, await dispatcher.DispatchOnceAsync(Ct)); // no endpoint, no handler: delivered at once
        var now = time.GetUtcNow();
        Assert.True(await outbox.TryAddAsync(new ApiKeyEventRecord
        {
            Id = Guid.CreateVersion7(now), Type = ApiKeyEventTypes.Revoked, OccurredAt = now, KeyId = Guid.NewGuid(), Data = "{}",
            NextAttemptAt = now, Attempts = 9, FailedAt = now,
        }, Ct));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await manager.CreateAsync(new() { Name = "pending" }, Ct)).Succeeded); // never dispatched

        Assert.Equal(0, await outbox.PruneAsync(now, 5, Ct)); // finished at `now`: not before it
        var cutoff = time.GetUtcNow() + TimeSpan.FromDays(400);
        Assert.Equal(5, await outbox.PruneAsync(cutoff, 5, Ct));
        Assert.Equal(5, await outbox.PruneAsync(cutoff, 5, Ct));
        Assert.Equal(2, await outbox.PruneAsync(cutoff, 5, Ct)); // the last delivered one and the failed one
        Assert.Equal(0, await outbox.PruneAsync(cutoff, 5, Ct));
        Assert.Equal(1, await outbox.CountPendingAsync(Ct));     // the pending row stays

        Assert.Equal(0, await dispatcher.PruneAsync(Ct));
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
}

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
/// Issue 24: <c>api_key.expiring</c> exactly once per key and lead time (30, 7, 1 days) with three nodes scanning the same
/// database at the same moments, on a <see cref="FakeTimeProvider"/>; real SQLite file and real PostgreSQL.
/// </summary>
public sealed class ExpiringEventTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-apikeys-expiring-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Expiring_ThreeNodesOnSqlite_OncePerKeyAndLeadTime()
    {
        var file = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "expiring.db") }.ToString();
        await AssertOncePerLeadAsync(o => o.UseSqlite(file), created: false);
    }

    [Fact]
    public async Task Expiring_ThreeNodesOnPostgreSql_OncePerKeyAndLeadTime()
    {
        await postgres.ResetAsync();
        await AssertOncePerLeadAsync(o => o.UseNpgsql(postgres.ConnectionString), created: true);
    }

    private async Task AssertOncePerLeadAsync(Action<DbContextOptionsBuilder> database, bool created)
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => Build(database)).ToList();
        try
        {
            if (!created)
            {
                await StoreServices.EnsureCreatedAsync(nodes[0]);
            }

            var manager = nodes[0].GetRequiredService<IApiKeyManager>();
            var start = _time.GetUtcNow();
            var in40Days = (await manager.CreateAsync(new() { Name = "long", ExpiresAt = start.AddDays(40) }, Ct)).Value!.Record.Id;
            var in3Days = (await manager.CreateAsync(new() { Name = "short", ExpiresAt = start.AddDays(3) }, Ct)).Value!.Record.Id;
            await manager.CreateAsync(new() { Name = "never" }, Ct);
            var revoked = (await manager.CreateAsync(new() { Name = "revoked", ExpiresAt = start.AddDays(2) }, Ct)).Value!.Record.Id;
            await manager.RevokeAsync(revoked, Ct);

            // 45 days in 6-hour steps; at every step the three nodes scan at the same time.
            for (var step = 0; step < 45 * 4; step++)
            {
                await Task.WhenAll(nodes.Select(n => Task.Run(() => n.GetRequiredService<ApiKeyExpiryScanner>().ScanAsync(Ct), Ct)));
                _time.Advance(TimeSpan.FromHours(6));
            }

            await using var db = await nodes[0].GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync(Ct);
            var rows = await db.Set<ApiKeyEventRecord>().AsNoTracking().Where(e => e.Type == ApiKeyEventTypes.Expiring).ToListAsync(Ct);
            var leads = rows.Select(r => (r.KeyId, Lead: System.Text.Json.JsonDocument.Parse(r.Data).RootElement.GetProperty("lead_time_seconds").GetInt64() / 86400))
                .OrderBy(p => p.KeyId == in40Days ? 0 : 1).ThenByDescending(p => p.Lead).ToList();
            Assert.Equal([(in40Days, 30L), (in40Days, 7L), (in40Days, 1L), (in3Days, 7L), (in3Days, 1L)], leads);

            // Each reminder went out when its window opened (to the scan step).
            var first = rows.Single(r => r.KeyId == in40Days && r.Data.Contains("\"lead_time_seconds\":2592000", StringComparison.Ordinal));
            Assert.Equal(start.AddDays(10), first.OccurredAt);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private ServiceProvider Build(Action<DbContextOptionsBuilder> database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouting();
        services.AddSingleton<TimeProvider>(_time);
        services.AddPooledDbContextFactory<ApiKeysDbContext>(database);
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddApiKeyEvents();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
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
            // A leftover temp file is not a test failure.
        }

        return ValueTask.CompletedTask;
    }
}

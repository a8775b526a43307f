using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Tests.Audit;

/// <summary>
/// Issue 24, audit at the manager, on real SQLite files and a real PostgreSQL database: every successful
/// <see cref="IApiKeyManager"/> change writes exactly one audit entry with the actor the caller named, in the same
/// transaction as the change (an audit insert that fails takes the change with it); a failed change writes none; the
/// trail filters by key, owner, actor, action and time and pages by keyset.
/// </summary>
public sealed class ManagerAuditTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-apikeys-audit-").FullName;
    private readonly AuditInsertFailure _failure = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryManagerChange_OnSqlite_WritesOneEntryWithItsActor()
    {
        await using var services = await SqliteAsync();
        await AssertEveryChangeAuditedAsync(services);
    }

    [Fact]
    public async Task EveryManagerChange_OnPostgreSql_WritesOneEntryWithItsActor()
    {
        await using var services = await PostgresAsync();
        await AssertEveryChangeAuditedAsync(services);
    }

    [Fact]
    public async Task FailedChanges_OnSqlite_WriteNothing()
    {
        await using var services = await SqliteAsync();
        await AssertFailedChangesWriteNothingAsync(services);
    }

    [Fact]
    public async Task FailedChanges_OnPostgreSql_WriteNothing()
    {
        await using var services = await PostgresAsync();
        await AssertFailedChangesWriteNothingAsync(services);
    }

    [Fact]
    public async Task Query_OnSqlite_FiltersAndPagesByKeyset()
    {
        await using var services = await SqliteAsync();
        await AssertQueryAsync(services);
    }

    [Fact]
    public async Task Query_OnPostgreSql_FiltersAndPagesByKeyset()
    {
        await using var services = await PostgresAsync();
        await AssertQueryAsync(services);
    }

    private async Task AssertEveryChangeAuditedAsync(ServiceProvider services)
    {
        var manager = services.GetRequiredService<IApiKeyManager>();
        var audit = services.GetRequiredService<IAdminAuditStore>();
        var admin = AuditActor.Admin("alice") with { ClientAddress = "203.0.113.9" };
        var adminKey = AuditActor.AdminKey(Guid.CreateVersion7());
        var scanner = AuditActor.Scanner("github");

        var created = await manager.CreateAsync(new() { Name = "signup key", Owner = "acme", Actor = AuditActor.Host("signup") }, Ct);
        var id = created.Value!.Record.Id;
        Tick();
        Assert.True((await manager.UpdateAsync(id, new() { Name = "renamed", Actor = admin }, Ct)).Succeeded);
        Tick();
        Assert.True((await manager.UpdateAsync(id, new() { Enabled = false, Actor = adminKey }, Ct)).Succeeded);
        Tick();
        Assert.True((await manager.UpdateAsync(id, new() { Enabled = false, Actor = adminKey }, Ct)).WroteNothing); // no change: no entry
        Assert.True((await manager.UpdateAsync(id, new() { Enabled = true }, Ct)).Succeeded);                    // default actor: system
        Tick();
        Assert.True((await manager.ReportLeakAsync(id, ApiKeyLeakResponse.Report, scanner, Ct)).Succeeded);
        Tick();
        var rotated = await manager.RotateAsync(id, TimeSpan.FromHours(1), admin, Ct);
        Assert.True(rotated.Succeeded);
        Tick();
        var replacement = rotated.Value!.Record.Id;
        Assert.True((await manager.ReportLeakAsync(replacement, ApiKeyLeakResponse.Revoke, scanner, Ct)).Succeeded);
        Tick();
        Assert.True((await manager.RevokeAsync(id, Ct)).Succeeded); // brings the grace period's end forward; system

        var entries = await ReadAllAsync(audit, new AdminAuditQuery());
        entries.Reverse(); // oldest first
        Assert.Equal(
            [
                ("key.created", "system", "signup", id),
                ("key.updated", "admin", "alice", id),
                ("key.disabled", "admin_key", adminKey.Name, id),
                ("key.enabled", "system", null, id),
                ("key.leak_reported", "scanner", "github", id),
                ("key.rotated", "admin", "alice", id),
                ("key.revoked", "scanner", "github", replacement),
                ("key.revoked", "system", null, id),
            ],
            entries.Select(e => (e.Action, e.ActorKind!, e.Actor, e.KeyId!.Value)).ToList());
        Assert.All(entries, e => Assert.Equal("acme", e.Owner));
        Assert.Equal("203.0.113.9", entries[1].ClientAddress);
        Assert.Equal($"{id} -> {replacement}", entries[5].Target);
        Assert.Equal(id.ToString(), entries[0].Target);
        Assert.Equal(_time.GetUtcNow(), entries[^1].OccurredAt);
    }

    private async Task AssertFailedChangesWriteNothingAsync(ServiceProvider services)
    {
        var manager = services.GetRequiredService<IApiKeyManager>();
        var audit = services.GetRequiredService<IAdminAuditStore>();
        var keys = services.GetRequiredService<IApiKeyStore>();
        var id = (await manager.CreateAsync(new() { Name = "kept", Owner = "acme" }, Ct)).Value!.Record.Id;
        var before = await keys.FindByIdAsync(id, Ct);

        // Refused by the rules: nothing written.
        Assert.Equal(ApiKeyError.Invalid, (await manager.UpdateAsync(id, new() { Name = "" }, Ct)).Error);
        Assert.Equal(ApiKeyError.NotFound, (await manager.RevokeAsync(Guid.CreateVersion7(), AuditActor.Admin("alice"), Ct)).Error);
        Assert.Equal(ApiKeyError.Invalid, (await manager.CreateAsync(new() { Name = "" }, Ct)).Error);

        // The audit insert fails: the change it belongs to is not stored either (one transaction).
        _failure.Armed = true;
        await Assert.ThrowsAnyAsync<Exception>(() => manager.UpdateAsync(id, new() { Name = "lost" }, Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => manager.RevokeAsync(id, Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => manager.RotateAsync(id, TimeSpan.Zero, Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => manager.CreateAsync(new() { Name = "never", Owner = "acme" }, Ct));
        _failure.Armed = false;
        Assert.True(_failure.Tripped >= 4);

        var after = await keys.FindByIdAsync(id, Ct);
        Assert.Equal(before!.ConcurrencyStamp, after!.ConcurrencyStamp);
        Assert.Equal("kept", after.Name);
        Assert.Null(after.RevokedAt);
        Assert.Null(after.ReplacedByKeyId);
        Assert.Equal(1, await keys.CountAsync(new ApiKeyFilter(), Ct));

        // A revocation that loses to an earlier one: a conflict, no second entry.
        Tick();
        Assert.True((await manager.RevokeAsync(id, Ct)).Succeeded);
        Assert.Equal(ApiKeyError.Conflict, (await manager.RevokeAsync(id, Ct)).Error);

        var entries = await ReadAllAsync(audit, new AdminAuditQuery { KeyId = id });
        Assert.Equal(["key.revoked", "key.created"], entries.Select(e => e.Action));
        Assert.Equal(2, await audit.CountAsync(Ct));
    }

    private async Task AssertQueryAsync(ServiceProvider services)
    {
        var manager = services.GetRequiredService<IApiKeyManager>();
        var audit = services.GetRequiredService<IAdminAuditStore>();
        var ids = new List<Guid>();
        var start = _time.GetUtcNow();
        for (var i = 0; i < 7; i++)
        {
            // Several entries share a time: the keyset must order ties by id, and never skip or repeat one.
            var owner = i % 2 == 0 ? "acme" : "globex";
            ids.Add((await manager.CreateAsync(new() { Name = $"k{i}", Owner = owner, Actor = AuditActor.Host("signup") }, Ct)).Value!.Record.Id);
            await manager.UpdateAsync(ids[^1], new() { Name = $"k{i}!", Actor = AuditActor.Admin("alice") }, Ct);
            if (i % 3 == 2)
            {
                Tick();
            }
        }

        var all = await ReadAllAsync(audit, new AdminAuditQuery());
        Assert.Equal(14, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i - 1].OccurredAt > all[i].OccurredAt
                || (all[i - 1].OccurredAt == all[i].OccurredAt && AdminAuditQuery.CompareIds(all[i - 1].Id, all[i].Id) > 0));
        }

        // Paged 3 at a time, following the last entry of each page: the same entries in the same order.
        var paged = new List<AdminAuditEntry>();
        var query = new AdminAuditQuery();
        while (true)
        {
            var page = new List<AdminAuditEntry>();
            await foreach (var e in audit.QueryAsync(query, 3, Ct))
            {
                page.Add(e);
            }

            paged.AddRange(page);
            if (page.Count < 3)
            {
                break;
            }

            query = new AdminAuditQuery { AfterOccurredAt = page[^1].OccurredAt, AfterId = page[^1].Id };
        }

        Assert.Equal(all.Select(e => e.Id), paged.Select(e => e.Id));

        Assert.Equal(2, (await ReadAllAsync(audit, new AdminAuditQuery { KeyId = ids[3] })).Count);
        Assert.Equal(8, (await ReadAllAsync(audit, new AdminAuditQuery { Owner = "acme" })).Count);
        Assert.Equal(7, (await ReadAllAsync(audit, new AdminAuditQuery { Actor = "alice" })).Count);
        Assert.Equal(7, (await ReadAllAsync(audit, new AdminAuditQuery { Action = ApiKeyAuditActions.Created })).Count);
        Assert.Equal(3, (await ReadAllAsync(audit, new AdminAuditQuery { Owner = "globex", Action = ApiKeyAuditActions.Updated, Actor = "alice" })).Count);
        Assert.Equal(6, (await ReadAllAsync(audit, new AdminAuditQuery { From = start, To = start.AddSeconds(1) })).Count);
        Assert.Equal(8, (await ReadAllAsync(audit, new AdminAuditQuery { From = start.AddSeconds(1) })).Count);
    }

    private static async Task<List<AdminAuditEntry>> ReadAllAsync(IAdminAuditStore audit, AdminAuditQuery query)
    {
        var entries = new List<AdminAuditEntry>();
        await foreach (var e in audit.QueryAsync(query, 1000, Ct))
        {
            entries.Add(e);
        }

        return entries;
    }

    private void Tick() => _time.Advance(TimeSpan.FromSeconds(1));

    private async Task<ServiceProvider> SqliteAsync()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, $"{Guid.NewGuid():N}.db") }.ToString();
        var services = Build(o => o.UseSqlite(connectionString).AddInterceptors(_failure));
        await StoreServices.EnsureCreatedAsync(services);
        return services;
    }

    private async Task<ServiceProvider> PostgresAsync()
    {
        await postgres.ResetAsync(); // skips (or fails under CI) without PostgreSQL; creates the schema
        return Build(o => o.UseNpgsql(postgres.ConnectionString).AddInterceptors(_failure));
    }

    private ServiceProvider Build(Action<DbContextOptionsBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouting();
        services.AddSingleton<TimeProvider>(_time);
        services.AddPooledDbContextFactory<ApiKeysDbContext>(configure);
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>();
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

    /// <summary>While armed, fails every INSERT into the audit table the way a dropped connection would.</summary>
    private sealed class AuditInsertFailure : DbCommandInterceptor
    {
        private int _tripped;

        public bool Armed { get; set; }

        public int Tripped => _tripped;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            FailIfAuditInsert(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            FailIfAuditInsert(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void FailIfAuditInsert(DbCommand command)
        {
            if (Armed && command.CommandText.Contains("INSERT INTO", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("p2p_admin_audit", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _tripped);
                throw new TimeoutException("Injected: the connection dropped before the audit INSERT completed.");
            }
        }
    }
}

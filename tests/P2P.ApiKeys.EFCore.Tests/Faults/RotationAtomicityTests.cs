using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Faults;

/// <summary>
/// docs/security.md rule 19, "nothing half-written", for the one multi-statement write: a rotation links and revokes the old
/// key, then inserts the new one. The database fails on the INSERT, after the two UPDATEs ran in the same
/// transaction: the old key must come out exactly as it was, and the store must rotate it fine afterwards.
/// </summary>
public sealed class RotationAtomicityTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-apikeys-rotation-").FullName;
    private readonly InsertFailure _failure = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RotateAsync_SqliteFailsOnTheInsert_OldKeyUnchangedAndRotationWorksAfterwards()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "keys.db") }.ToString();
        await using var services = StoreServices.Build(o => o.UseSqlite(connectionString).AddInterceptors(_failure), ContextRegistration.PooledFactory);
        await StoreServices.EnsureCreatedAsync(services);

        await AssertRotationIsAtomicAsync(services.GetRequiredService<IApiKeyStore>());
    }

    [Fact]
    public async Task RotateAsync_PostgresFailsOnTheInsert_OldKeyUnchangedAndRotationWorksAfterwards()
    {
        await postgres.ResetAsync(); // skips (or fails under CI) without PostgreSQL; creates the schema
        await using var services = StoreServices.Build(o => o.UseNpgsql(postgres.ConnectionString).AddInterceptors(_failure), ContextRegistration.PooledFactory);

        await AssertRotationIsAtomicAsync(services.GetRequiredService<IApiKeyStore>());
    }

    private async Task AssertRotationIsAtomicAsync(IApiKeyStore store)
    {
        var old = StoreTestData.NewKey();
        await store.CreateAsync(old, Ct);
        var replacement = StoreTestData.NewKey();
        var rotating = old.Clone();
        rotating.RevokedAt = StoreTestData.Epoch.AddHours(1);
        rotating.ReplacedByKeyId = replacement.Id;

        _failure.Armed = true;
        await Assert.ThrowsAnyAsync<Exception>(() => store.RotateAsync(rotating.Clone(), replacement, Ct).AsTask());
        _failure.Armed = false;

        Assert.True(_failure.Tripped);
        StoreTestData.AssertSameKey(old, await store.FindByIdAsync(old.Id, Ct)); // not revoked, not linked, same stamp
        Assert.Null(await store.FindByIdAsync(replacement.Id, Ct));
        Assert.Null(await store.FindByLookupIdAsync(replacement.LookupId, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));

        Assert.Equal(ApiKeyStoreResult.Success, await store.RotateAsync(rotating, replacement, Ct));
        var rotated = await store.FindByIdAsync(old.Id, Ct);
        Assert.Equal(replacement.Id, rotated!.ReplacedByKeyId);
        Assert.NotNull(await store.FindByIdAsync(replacement.Id, Ct));
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

    /// <summary>While armed, fails the first INSERT into the keys table the way a dropped connection would.</summary>
    private sealed class InsertFailure : DbCommandInterceptor
    {
        public bool Armed { get; set; }

        public bool Tripped { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            FailIfInsert(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            FailIfInsert(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void FailIfInsert(DbCommand command)
        {
            if (Armed && command.CommandText.Contains("INSERT INTO", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("p2p_api_keys", StringComparison.Ordinal))
            {
                Tripped = true;
                throw new TimeoutException("Injected: the connection dropped before the INSERT completed.");
            }
        }
    }
}

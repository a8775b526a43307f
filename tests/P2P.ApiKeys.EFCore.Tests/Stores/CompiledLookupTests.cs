using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Stores;

/// <summary>
/// The verification lookup is a compiled query, and EF Core refuses to run a compiled query against a model
/// other than its own. One context type on two providers has two models; both must keep working, interleaved.
/// </summary>
public sealed class CompiledLookupTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private readonly SqliteDatabases _sqlite = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FindByLookupIdAsync_SameContextTypeOnSqliteAndPostgres_FindsOnEachInTurn()
    {
        var onSqlite = (await _sqlite.CreateAsync(ContextRegistration.PooledFactory)).GetRequiredService<IApiKeyStore>();
        var onPostgres = (await postgres.ResetAsync()).GetRequiredService<IApiKeyStore>();
        var sqliteKey = StoreTestData.NewKey();
        var postgresKey = StoreTestData.NewKey();
        await onSqlite.CreateAsync(sqliteKey, Ct);
        await onPostgres.CreateAsync(postgresKey, Ct);

        for (var round = 0; round < 3; round++)
        {
            StoreTestData.AssertSameKey(sqliteKey, await onSqlite.FindByLookupIdAsync(sqliteKey.LookupId, Ct));
            StoreTestData.AssertSameKey(postgresKey, await onPostgres.FindByLookupIdAsync(postgresKey.LookupId, Ct));
            Assert.Null(await onSqlite.FindByLookupIdAsync(postgresKey.LookupId, Ct));
            Assert.Null(await onPostgres.FindByLookupIdAsync(sqliteKey.LookupId, Ct));
        }
    }

    public ValueTask DisposeAsync() => _sqlite.DisposeAsync();
}

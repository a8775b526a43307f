using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Model;

/// <summary>
/// What <c>dotnet ef migrations add</c> would produce for a host context, applied for real: the schema made by
/// a migration (not EnsureCreated) must serve the stores.
/// </summary>
public sealed class MigrationTests : IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrationFromEmpty_OnSqlite_CreatesASchemaTheStoresUse()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_databases.Directory, "migrated.db") }.ToString();
        var collection = new ServiceCollection();
        collection.AddDbContextFactory<HostDbContext>(o => o.UseSqlite(connectionString));
        collection.AddApiKeyAuth().AddEntityFrameworkCoreStores<HostDbContext>();
        await using var services = collection.BuildServiceProvider(validateScopes: true);

        await using (var db = await services.GetRequiredService<IDbContextFactory<HostDbContext>>().CreateDbContextAsync(Ct))
        {
            var operations = db.GetService<IMigrationsModelDiffer>()
                .GetDifferences(null, db.GetService<IDesignTimeModel>().Model.GetRelationalModel());
            Assert.Contains(operations, o => o is Microsoft.EntityFrameworkCore.Migrations.Operations.CreateTableOperation { Name: "p2p_api_keys" });
            var commands = db.GetService<IMigrationsSqlGenerator>().Generate(operations, db.Model);
            await db.Database.OpenConnectionAsync(Ct);
            await db.GetService<IMigrationCommandExecutor>().ExecuteNonQueryAsync(commands, db.GetService<IRelationalConnection>(), Ct);
        }

        var keys = services.GetRequiredService<IApiKeyStore>();
        var key = StoreTestData.NewKey();
        await keys.CreateAsync(key, Ct);
        await keys.RecordUsageAsync([new(key.Id, StoreTestData.Epoch.AddMinutes(1))], Ct);
        Assert.Equal(ApiKeyStoreResult.Success, await keys.RevokeAsync(key.Id, StoreTestData.Epoch.AddMinutes(2), Ct));
        var admins = services.GetRequiredService<IAdminUserStore>();
        Assert.Equal(ApiKeyStoreResult.Success, await admins.CreateAsync(StoreTestData.NewAdmin("alice"), true, Ct));
        Assert.Equal(ApiKeyStoreResult.Conflict, await admins.CreateAsync(StoreTestData.NewAdmin("bob"), true, Ct));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

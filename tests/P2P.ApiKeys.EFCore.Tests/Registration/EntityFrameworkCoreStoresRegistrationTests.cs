using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.EFCore.Tests.Model;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Registration;

public sealed class EntityFrameworkCoreStoresRegistrationTests : IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddEntityFrameworkCoreStores_CalledTwice_RegistersEachStoreOnceAsSingleton()
    {
        var services = new ServiceCollection();
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddEntityFrameworkCoreStores<ApiKeysDbContext>();

        foreach (var type in new[] { typeof(IApiKeyStore), typeof(IAdminUserStore), typeof(IAdminAuditStore) })
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == type);
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        }
    }

    [Fact]
    public void AddEntityFrameworkCoreStores_AfterInMemory_KeepsTheFirstChoice()
    {
        var services = new ServiceCollection();
        services.AddApiKeyAuth().AddInMemoryStores().AddEntityFrameworkCoreStores<ApiKeysDbContext>();

        Assert.Equal("InMemoryApiKeyStore", Assert.Single(services, d => d.ServiceType == typeof(IApiKeyStore)).ImplementationType!.Name);
    }

    [Fact]
    public async Task Stores_WithScopedAddDbContext_WorkFromTheRootProvider()
    {
        // A singleton (the verification cache) resolving the store from the root must not capture a scoped context.
        await using var services = await _databases.CreateAsync(ContextRegistration.Scoped);
        var store = services.GetRequiredService<IApiKeyStore>();
        var key = StoreTestData.NewKey();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.FindByIdAsync(key.Id, Ct).AsTask()));
        await store.CreateAsync(key, Ct);

        StoreTestData.AssertSameKey(key, await store.FindByLookupIdAsync(key.LookupId, Ct));
    }

    [Fact]
    public async Task Stores_OnAHostsOwnContext_ShareItsDatabase()
    {
        var path = Path.Combine(_databases.Directory, "host.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        var collection = new ServiceCollection();
        collection.AddDbContext<HostDbContext>(o => o.UseSqlite(connectionString));
        collection.AddApiKeyAuth().AddEntityFrameworkCoreStores<HostDbContext>();
        await using var services = collection.BuildServiceProvider(validateScopes: true);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HostDbContext>();
            await db.Database.EnsureCreatedAsync(Ct);
            db.Invoices.Add(new HostInvoice { Amount = 12.5m });
            await db.SaveChangesAsync(Ct);
        }

        var admins = services.GetRequiredService<IAdminUserStore>();
        Assert.Equal(ApiKeyStoreResult.Success, await admins.CreateAsync(StoreTestData.NewAdmin("alice"), onlyIfNoAdminExists: true, Ct));
        Assert.Equal(1, await admins.CountAsync(Ct));
    }

    [Fact]
    public async Task Stores_ContextWithoutTheModel_ThrowClearMessage()
    {
        var collection = new ServiceCollection();
        collection.AddDbContext<ForgetfulDbContext>(o => o.UseSqlite("Data Source=:memory:"));
        collection.AddApiKeyAuth().AddEntityFrameworkCoreStores<ForgetfulDbContext>();
        await using var services = collection.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.GetRequiredService<IApiKeyStore>().CountAsync(Ct).AsTask());
        Assert.Contains("ApplyApiKeysModel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stores_ContextNotRegistered_ThrowClearMessage()
    {
        var collection = new ServiceCollection();
        collection.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        await using var services = collection.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.GetRequiredService<IApiKeyStore>().CountAsync(Ct).AsTask());
        Assert.Contains("AddDbContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ScopeWithSpace_IsRefusedBeforeStoring()
    {
        await using var services = await _databases.CreateAsync();
        var store = services.GetRequiredService<IApiKeyStore>();
        var key = StoreTestData.NewKey();
        key.Scopes = ["p2p read"];

        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(key, Ct).AsTask());
        Assert.Equal(0, await store.CountAsync(Ct));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

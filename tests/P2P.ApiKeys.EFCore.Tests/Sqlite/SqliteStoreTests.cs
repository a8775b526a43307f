using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Sqlite;

public sealed class SqliteApiKeyStoreTests : ApiKeyStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IApiKeyStore> CreateStoreAsync() =>
        (await _databases.CreateAsync()).GetRequiredService<IApiKeyStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class SqliteAdminUserStoreTests : AdminUserStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IAdminUserStore> CreateStoreAsync() =>
        (await _databases.CreateAsync()).GetRequiredService<IAdminUserStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class SqliteAdminAuditStoreTests : AdminAuditStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IAdminAuditStore> CreateStoreAsync() =>
        (await _databases.CreateAsync()).GetRequiredService<IAdminAuditStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The API-key suite again with <c>AddPooledDbContextFactory</c>: a reused context must not leak state between operations.</summary>
public sealed class SqlitePooledApiKeyStoreTests : ApiKeyStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IApiKeyStore> CreateStoreAsync() =>
        (await _databases.CreateAsync(ContextRegistration.PooledFactory)).GetRequiredService<IApiKeyStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The admin-user suite again with <c>AddPooledDbContextFactory</c>.</summary>
public sealed class SqlitePooledAdminUserStoreTests : AdminUserStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IAdminUserStore> CreateStoreAsync() =>
        (await _databases.CreateAsync(ContextRegistration.PooledFactory)).GetRequiredService<IAdminUserStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The API-key suite again with a scoped <c>AddDbContext</c>: each operation opens its own DI scope.</summary>
public sealed class SqliteScopedApiKeyStoreTests : ApiKeyStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IApiKeyStore> CreateStoreAsync() =>
        (await _databases.CreateAsync(ContextRegistration.Scoped)).GetRequiredService<IApiKeyStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The admin-user manager's rules on EF Core over SQLite.</summary>
public sealed class SqliteAdminUserManagerTests : AdminUserManagerConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IAdminUserStore> CreateStoreAsync() =>
        (await _databases.CreateAsync()).GetRequiredService<IAdminUserStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class SqliteApiKeyUsageStoreTests : ApiKeyUsageStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IApiKeyUsageStore> CreateStoreAsync() =>
        (await _databases.CreateAsync()).GetRequiredService<IApiKeyUsageStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class SqliteApiKeyOwnerLimitStoreTests : ApiKeyOwnerLimitStoreConformanceTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<P2P.ApiKeys.RateLimiting.IApiKeyOwnerLimitStore> CreateStoreAsync() =>
        (await _databases.CreateAsync()).GetRequiredService<P2P.ApiKeys.RateLimiting.IApiKeyOwnerLimitStore>();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

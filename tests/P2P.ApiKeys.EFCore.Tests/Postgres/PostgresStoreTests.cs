using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Postgres;

public sealed class PostgresApiKeyStoreTests(PostgresDatabase database) : ApiKeyStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IApiKeyStore> CreateStoreAsync() =>
        (await database.ResetAsync()).GetRequiredService<IApiKeyStore>();
}

public sealed class PostgresAdminUserStoreTests(PostgresDatabase database) : AdminUserStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IAdminUserStore> CreateStoreAsync() =>
        (await database.ResetAsync()).GetRequiredService<IAdminUserStore>();
}

public sealed class PostgresAdminAuditStoreTests(PostgresDatabase database) : AdminAuditStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IAdminAuditStore> CreateStoreAsync() =>
        (await database.ResetAsync()).GetRequiredService<IAdminAuditStore>();
}

/// <summary>The admin-user manager's rules on EF Core over PostgreSQL.</summary>
public sealed class PostgresAdminUserManagerTests(PostgresDatabase database) : AdminUserManagerConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IAdminUserStore> CreateStoreAsync() =>
        (await database.ResetAsync()).GetRequiredService<IAdminUserStore>();
}

public sealed class PostgresApiKeyUsageStoreTests(PostgresDatabase database) : ApiKeyUsageStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IApiKeyUsageStore> CreateStoreAsync() =>
        (await database.ResetAsync()).GetRequiredService<IApiKeyUsageStore>();
}

public sealed class PostgresApiKeyOwnerLimitStoreTests(PostgresDatabase database) : ApiKeyOwnerLimitStoreConformanceTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<P2P.ApiKeys.RateLimiting.IApiKeyOwnerLimitStore> CreateStoreAsync() =>
        (await database.ResetAsync()).GetRequiredService<P2P.ApiKeys.RateLimiting.IApiKeyOwnerLimitStore>();
}

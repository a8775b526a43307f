using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.Tests.Stores;

public sealed class InMemoryApiKeyStoreTests : ApiKeyStoreConformanceTests
{
    protected override Task<IApiKeyStore> CreateStoreAsync() => Task.FromResult<IApiKeyStore>(new InMemoryApiKeyStore());
}

public sealed class InMemoryAdminUserStoreTests : AdminUserStoreConformanceTests
{
    protected override Task<IAdminUserStore> CreateStoreAsync() => Task.FromResult<IAdminUserStore>(new InMemoryAdminUserStore());
}

public sealed class InMemoryAdminAuditStoreTests : AdminAuditStoreConformanceTests
{
    protected override Task<IAdminAuditStore> CreateStoreAsync() => Task.FromResult<IAdminAuditStore>(new InMemoryAdminAuditStore());
}

public sealed class InMemoryAdminUserManagerTests : AdminUserManagerConformanceTests
{
    protected override Task<IAdminUserStore> CreateStoreAsync() => Task.FromResult<IAdminUserStore>(new InMemoryAdminUserStore());
}

public sealed class InMemoryApiKeyUsageStoreTests : ApiKeyUsageStoreConformanceTests
{
    protected override Task<IApiKeyUsageStore> CreateStoreAsync() => Task.FromResult<IApiKeyUsageStore>(new InMemoryApiKeyUsageStore());
}

public sealed class InMemoryApiKeyOwnerLimitStoreTests : ApiKeyOwnerLimitStoreConformanceTests
{
    protected override Task<IApiKeyOwnerLimitStore> CreateStoreAsync() => Task.FromResult<IApiKeyOwnerLimitStore>(new InMemoryApiKeyOwnerLimitStore());
}

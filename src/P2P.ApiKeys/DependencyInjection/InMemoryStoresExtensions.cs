using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys;

/// <summary>Registers the process-local stores.</summary>
public static class InMemoryStoresExtensions
{
    /// <summary>
    /// Uses thread-safe in-memory stores for keys, admins, the audit trail, the event outbox and usage history. Everything is lost when the
    /// process stops; for tests, demos and single-node hosts. Safe to call twice.
    /// </summary>
    public static ApiKeyAuthBuilder AddInMemoryStores(this ApiKeyAuthBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
        builder.Services.TryAddSingleton<IAdminUserStore, InMemoryAdminUserStore>();
        builder.Services.TryAddSingleton<IAdminAuditStore, InMemoryAdminAuditStore>();
        builder.Services.TryAddSingleton<IApiKeyEventOutbox, InMemoryApiKeyEventOutbox>();
        builder.Services.TryAddSingleton<IApiKeyUsageStore, InMemoryApiKeyUsageStore>();
        return builder;
    }
}

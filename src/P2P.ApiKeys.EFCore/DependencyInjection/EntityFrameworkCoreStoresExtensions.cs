using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.EFCore.Stores;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys;

/// <summary>Registers the EF Core stores.</summary>
public static class EntityFrameworkCoreStoresExtensions
{
    /// <summary>
    /// Stores keys, admins, the audit trail and the usage history through <typeparamref name="TContext"/>, on whatever provider
    /// the host configured for it. Register the context with <c>AddPooledDbContextFactory</c> (preferred: a
    /// cache miss then reuses a pooled context), <c>AddDbContextFactory</c> or <c>AddDbContext</c>; its model must include <c>modelBuilder.ApplyApiKeysModel()</c>, or use
    /// <see cref="EFCore.ApiKeysDbContext"/>. Safe to call twice; stores already registered (for example by
    /// <c>AddInMemoryStores</c>) are kept.
    /// </summary>
    /// <remarks>
    /// The stores are singletons that create a short-lived context per operation, so singleton callers (the
    /// verification cache, the last-used flusher) can use them without capturing a scoped context.
    /// </remarks>
    /// <typeparam name="TContext">The host's context, or <see cref="EFCore.ApiKeysDbContext"/>.</typeparam>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddEntityFrameworkCoreStores<TContext>(this ApiKeyAuthBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StoreContextFactory<TContext>>();
        services.TryAddSingleton<IApiKeyStore, EFCoreApiKeyStore<TContext>>();
        services.TryAddSingleton<IAdminUserStore, EFCoreAdminUserStore<TContext>>();
        services.TryAddSingleton<IAdminAuditStore, EFCoreAdminAuditStore<TContext>>();
        services.TryAddSingleton<IApiKeyEventOutbox, EFCoreApiKeyEventOutbox<TContext>>();
        services.TryAddSingleton<IApiKeyUsageStore, EFCoreApiKeyUsageStore<TContext>>();
        services.TryAddSingleton<P2P.ApiKeys.RateLimiting.IApiKeyQuotaCountStore, EFCoreQuotaCountStore<TContext>>();

        // Replaces the in-memory owner-limit store that AddApiKeyAuth registers by default.
        services.Replace(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<P2P.ApiKeys.RateLimiting.IApiKeyOwnerLimitStore, EFCoreOwnerLimitStore<TContext>>());
        return builder;
    }
}

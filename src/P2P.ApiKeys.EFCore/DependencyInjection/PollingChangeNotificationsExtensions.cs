using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.EFCore.ChangeNotifications;
using P2P.ApiKeys.EFCore.Stores;

namespace P2P.ApiKeys;

/// <summary>Adds change notifications through a polled change-feed table, for databases without push.</summary>
public static class PollingChangeNotificationsExtensions
{
    /// <summary>
    /// Writes every key change to the table <c>p2p_api_key_changes</c> of <typeparamref name="TContext"/> and polls
    /// it on every node, so that every node refuses a revoked key within about
    /// <see cref="PollingChangeNotificationOptions.PollInterval"/> instead of <see cref="ApiKeyOptions.CacheTtl"/>.
    /// Works on any EF Core provider (SQL Server, MySQL, SQLite shared by processes, PostgreSQL); on PostgreSQL or
    /// with Redis, prefer the push notifiers of P2P.ApiKeys.PostgreSql or P2P.ApiKeys.Redis. The model must include
    /// <c>modelBuilder.ApplyApiKeysModel()</c> (the table comes with it: add a migration). Safe to call twice.
    /// </summary>
    /// <typeparam name="TContext">The context of the EF Core stores.</typeparam>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">Poll interval, look-back window, retention.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddPollingChangeNotifications<TContext>(this ApiKeyAuthBuilder builder, Action<PollingChangeNotificationOptions>? configure = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<PollingChangeNotificationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PollingChangeNotificationOptions>, PollingChangeNotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StoreContextFactory<TContext>>();
        services.TryAddSingleton<PollingChangeNotifier<TContext>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiKeyChangePublisher, PollingChangeNotifier<TContext>>(sp => sp.GetRequiredService<PollingChangeNotifier<TContext>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PollingChangeNotifier<TContext>>(sp => sp.GetRequiredService<PollingChangeNotifier<TContext>>()));
        return builder;
    }
}

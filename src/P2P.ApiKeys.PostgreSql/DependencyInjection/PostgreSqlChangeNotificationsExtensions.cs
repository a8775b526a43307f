using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.PostgreSql;

namespace P2P.ApiKeys;

/// <summary>Adds PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c> change notifications to an API-key host.</summary>
public static class PostgreSqlChangeNotificationsExtensions
{
    /// <summary>
    /// Publishes every key change with <c>pg_notify</c> and listens for the changes of the other nodes on the same
    /// database, so that every node refuses a revoked key at once instead of after
    /// <see cref="ApiKeyOptions.CacheTtl"/>. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="connectionString">The Npgsql connection string of the database every node shares.</param>
    /// <param name="configure">Further settings: channel, reconnect delay, keep-alive.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddPostgreSqlChangeNotifications(
        this ApiKeyAuthBuilder builder, string connectionString, Action<PostgreSqlChangeNotificationOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.AddPostgreSqlChangeNotifications(o =>
        {
            o.ConnectionString = connectionString;
            configure?.Invoke(o);
        });
    }

    /// <summary>
    /// Publishes every key change with <c>pg_notify</c> and listens for the changes of the other nodes. Set
    /// <see cref="PostgreSqlChangeNotificationOptions.ConnectionString"/> or
    /// <see cref="PostgreSqlChangeNotificationOptions.DataSource"/>, or register an <c>NpgsqlDataSource</c> in the
    /// service collection. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">The settings.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddPostgreSqlChangeNotifications(this ApiKeyAuthBuilder builder, Action<PostgreSqlChangeNotificationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgreSqlChangeNotificationOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlChangeNotificationOptions>, PostgreSqlChangeNotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgreSqlChangeNotifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiKeyChangePublisher, PostgreSqlChangeNotifier>(sp => sp.GetRequiredService<PostgreSqlChangeNotifier>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlChangeNotifier>(sp => sp.GetRequiredService<PostgreSqlChangeNotifier>()));
        return builder;
    }
}

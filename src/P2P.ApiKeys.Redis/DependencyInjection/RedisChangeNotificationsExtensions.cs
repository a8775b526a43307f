using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.Redis;

namespace P2P.ApiKeys;

/// <summary>Adds Redis pub/sub change notifications to an API-key host.</summary>
public static class RedisChangeNotificationsExtensions
{
    /// <summary>
    /// Publishes every key change on a Redis channel and subscribes to the changes of the other nodes, so that every
    /// node refuses a revoked key at once instead of after <see cref="ApiKeyOptions.CacheTtl"/>. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Further settings: channel, retry interval.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddRedisChangeNotifications(
        this ApiKeyAuthBuilder builder, string configuration, Action<RedisChangeNotificationOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return builder.AddRedisChangeNotifications(o =>
        {
            o.Configuration = configuration;
            configure?.Invoke(o);
        });
    }

    /// <summary>
    /// Publishes every key change on a Redis channel and subscribes to the changes of the other nodes, through the
    /// <c>IConnectionMultiplexer</c> registered in the service collection. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddRedisChangeNotifications(this ApiKeyAuthBuilder builder) =>
        builder.AddRedisChangeNotifications(static _ => { });

    /// <summary>
    /// Publishes every key change on a Redis channel and subscribes to the changes of the other nodes. Without
    /// <see cref="RedisChangeNotificationOptions.Configuration"/>, the <c>IConnectionMultiplexer</c> registered in
    /// the service collection is used. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">The settings.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddRedisChangeNotifications(this ApiKeyAuthBuilder builder, Action<RedisChangeNotificationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisChangeNotificationOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisChangeNotificationOptions>, RedisChangeNotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisChangeNotifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiKeyChangePublisher, RedisChangeNotifier>(sp => sp.GetRequiredService<RedisChangeNotifier>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisChangeNotifier>(sp => sp.GetRequiredService<RedisChangeNotifier>()));
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Redis;

namespace P2P.ApiKeys;

/// <summary>Shares per-key rate limits and quotas between nodes through Redis.</summary>
public static class RedisRateLimitsExtensions
{
    /// <summary>
    /// Counts every key's rate limit and quota in Redis, atomically and on Redis's clock, so that all nodes together
    /// admit what one node would. While Redis cannot answer, each node limits locally. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Further settings: key prefix, decision timeout.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddRedisRateLimits(this ApiKeyAuthBuilder builder, string configuration, Action<RedisRateLimitOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return builder.AddRedisRateLimits(o =>
        {
            o.Configuration = configuration;
            configure?.Invoke(o);
        });
    }

    /// <summary>
    /// Counts every key's rate limit and quota in Redis. Without <see cref="RedisRateLimitOptions.Configuration"/>, the
    /// <c>IConnectionMultiplexer</c> registered in the service collection is used. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">The settings.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static ApiKeyAuthBuilder AddRedisRateLimits(this ApiKeyAuthBuilder builder, Action<RedisRateLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisRateLimitOptions>().Configure(configure).Validate(
            o => !string.IsNullOrEmpty(o.KeyPrefix) && o.DecisionTimeout > TimeSpan.Zero,
            "RedisRateLimitOptions: KeyPrefix must not be empty and DecisionTimeout must be positive.").ValidateOnStart();
        services.TryAddSingleton<RedisApiKeyLimiter>();

        // Replaces the in-process limiter, which stays registered (keyed) as the fallback.
        services.Replace(ServiceDescriptor.Singleton<IApiKeyLimiter>(sp => sp.GetRequiredService<RedisApiKeyLimiter>()));
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the P2P.ApiKeys health checks to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class ApiKeyHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds three checks, tagged <c>p2p_apikeys</c> and <c>ready</c>: <see cref="ApiKeyHealthCheckNames.Store"/> (one
    /// indexed lookup), <see cref="ApiKeyHealthCheckNames.ChangeNotifier"/> (every notifier connected and heard from
    /// within <see cref="ApiKeyHealthCheckOptions.NotifierHeartbeatTimeout"/>; no I/O) and
    /// <see cref="ApiKeyHealthCheckNames.RateLimiter"/> (with <c>AddRedisRateLimits</c>: Redis answers and the limiter
    /// is not falling back to local counts). Map them on a readiness endpoint, not on a liveness one, and limit who
    /// may call it: the store check is a database query.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="configure">Heartbeat timeout, per-check timeout, failure status and tags.</param>
    /// <returns>The builder, for more checks.</returns>
    public static IHealthChecksBuilder AddApiKeyHealthChecks(this IHealthChecksBuilder builder, Action<ApiKeyHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ApiKeyHealthCheckOptions();
        configure?.Invoke(options);
        var optionsBuilder = builder.Services.AddOptions<ApiKeyHealthCheckOptions>().ValidateOnStart();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyHealthCheckOptions>, ApiKeyHealthCheckOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ApiKeyChangeNotifierStatus>();

        var tags = options.Tags.ToArray();
        builder.Add(new HealthCheckRegistration(ApiKeyHealthCheckNames.Store, static sp => ActivatorUtilities.CreateInstance<ApiKeyStoreHealthCheck>(sp), options.FailureStatus, tags, options.Timeout));
        builder.Add(new HealthCheckRegistration(ApiKeyHealthCheckNames.ChangeNotifier, static sp => ActivatorUtilities.CreateInstance<ApiKeyChangeNotifierHealthCheck>(sp), options.FailureStatus, tags, options.Timeout));
        builder.Add(new HealthCheckRegistration(ApiKeyHealthCheckNames.RateLimiter, static sp => ActivatorUtilities.CreateInstance<ApiKeyRateLimiterHealthCheck>(sp), options.FailureStatus, tags, options.Timeout));
        return builder;
    }
}

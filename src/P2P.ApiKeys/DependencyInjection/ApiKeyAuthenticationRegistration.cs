using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys;

/// <summary>
/// The services every API-key scheme shares (options, key format, hashing, the manager, the verification cache,
/// usage tracking, metrics, scope policies), and the bookkeeping of which schemes exist. Safe to run many times.
/// </summary>
internal static class ApiKeyAuthenticationRegistration
{
    public static void AddCoreServices(IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ApiKeyFormat(sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value.KeyPrefix));
        services.TryAddSingleton(sp =>
        {
            var pepper = sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Pepper;
            return new ApiKeySecretHasher(pepper is null ? null : System.Text.Encoding.UTF8.GetBytes(pepper));
        });

        // Evicts locally, then hands the change to the IApiKeyChangePublisher services a notifier package adds.
        services.TryAddSingleton<IApiKeyChangeNotifier, ApiKeyChangeNotifier>();
        services.TryAddSingleton<IApiKeyChangeReceiver, ApiKeyChangeReceiver>();
        services.TryAddSingleton<HealthChecks.ApiKeyChangeNotifierStatus>();
        services.TryAddSingleton<IApiKeyManager, ApiKeyManager>();

        services.AddMetrics();
        services.TryAddSingleton<ApiKeyMetrics>();
        services.TryAddSingleton<ApiKeyHandlerLoggerFactory>();
        services.TryAddSingleton<ApiKeyVerificationCache>();
        services.TryAddSingleton<IApiKeyVerificationCache>(sp => sp.GetRequiredService<ApiKeyVerificationCache>());
        services.TryAddSingleton<ApiKeyUsageTracker>();
        services.TryAddSingleton<ApiKeyVerifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ApiKeyUsageFlushService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyAuthenticationOptions>, ApiKeyAuthenticationOptionsValidator>());

        // Scope policies are built on demand by a provider that falls back to the default one. It replaces the
        // framework default (also when AddAuthorization ran first) but never a provider the host registered:
        // such a host registers the ApiKeyPolicies.Scope policies itself or uses RequireApiKeyScope.
        var providers = services.Where(d => d.ServiceType == typeof(IAuthorizationPolicyProvider)).ToList();
        if (providers.TrueForAll(d => d.ImplementationType == typeof(DefaultAuthorizationPolicyProvider)))
        {
            providers.ForEach(d => services.Remove(d));
            services.AddSingleton<IAuthorizationPolicyProvider, ApiKeyScopePolicyProvider>();
        }

        services.AddAuthorization();

        // Per-key limits: the in-process limiter, the per-client lookup limit, and enforcement that wraps the
        // authorization result handler AddAuthorization registered.
        RateLimiting.ApiKeyRateLimitRegistration.Add(services);
    }

    /// <summary>
    /// Adds the scheme <paramref name="name"/> once; a later call for the same name only adds its configuration
    /// (<c>AddScheme</c> itself throws for a name that exists).
    /// </summary>
    public static AuthenticationBuilder AddScheme(AuthenticationBuilder builder, string name, string? displayName, Action<ApiKeyAuthenticationOptions>? configure)
    {
        var services = builder.Services;
        AddCoreServices(services);
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(ApiKeySchemeNames))?.ImplementationInstance as ApiKeySchemeNames;
        if (registry is null)
        {
            registry = new ApiKeySchemeNames();
            services.AddSingleton(registry);
        }

        if (!registry.Names.Add(name))
        {
            if (configure is not null)
            {
                services.Configure(name, configure);
            }

            return builder;
        }

        services.AddOptions<ApiKeyAuthenticationOptions>(name).ValidateOnStart();
        return builder.AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(name, displayName, configure);
    }

    /// <summary>The API-key schemes added to this service collection.</summary>
    private sealed class ApiKeySchemeNames
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}

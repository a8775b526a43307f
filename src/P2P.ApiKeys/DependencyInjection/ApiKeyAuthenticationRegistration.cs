using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.DependencyInjection;

/// <summary>
/// The services every API-key scheme shares (options, key format, hashing, the manager, the verifier with its cache and
/// lookup budget, the seam and its observers, scope policies), and the bookkeeping of which schemes exist. Safe to run
/// many times.
/// </summary>
internal static class ApiKeyAuthenticationRegistration
{
    public static void AddCoreServices(IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ApiKeyOptions>, SchemeQueryParameterRedaction>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ApiKeyFormat(sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value.KeyPrefix));
        services.TryAddSingleton(sp =>
        {
            var pepper = sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Pepper;
            return new ApiKeySecretHasher(pepper is null ? null : System.Text.Encoding.UTF8.GetBytes(pepper));
        });

        // Evicts locally, then hands the change to the IApiKeyChangePublisher services a notifier package adds.
        services.AddMetrics();
        services.TryAddSingleton<ChangeNotificationMetrics>();
        services.TryAddSingleton<IApiKeyChangeNotifier, ApiKeyChangeNotifier>();
        services.TryAddSingleton<IApiKeyChangeReceiver, ApiKeyChangeReceiver>();
        services.TryAddSingleton<ChangeNotifications.ApiKeyChangeNotifierStatus>();
        services.TryAddSingleton<IApiKeyManager, ApiKeyManager>();
        services.TryAddSingleton<IApiKeyOwnerLimits, ApiKeyOwnerLimitManager>();

        // The request path: verifier (cache, lookup budget, store), then the seam that metrics and last-used times observe.
        services.TryAddSingleton<ApiKeyHandlerLoggerFactory>();
        services.TryAddSingleton<ApiKeyVerificationCache<VerifiedApiKey>>();
        services.TryAddSingleton<IApiKeyVerificationCache>(sp => sp.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>());
        services.TryAddSingleton<ClientLookupBudget>();
        services.TryAddSingleton<ApiKeyVerifier>();
        services.TryAddSingleton<ApiKeyOutcomeObservers>();
        services.TryAddSingleton<ApiKeyMetrics>();
        services.TryAddSingleton<ApiKeyUsageTracker>();
        AddObserver<ApiKeyMetrics>(services);
        AddObserver<ApiKeyUsageTracker>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ApiKeyUsageFlushService>());
        services.AddOptions<ApiKeyUsageHistoryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyUsageHistoryOptions>, ApiKeyUsageHistoryOptionsValidator>());
        services.TryAddSingleton<ApiKeyUsageHistory>();
        services.TryAddSingleton<IApiKeyUsage, ApiKeyUsageReader>();
        services.TryAddSingleton<ApiKeyRotationWatch>();
        services.TryAddSingleton<ApiKeyRotationStallSignal>();
        services.TryAddSingleton<ApiKeySelfEndpoint>();
        AddObserver<ApiKeyUsageHistory>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ApiKeyUsageHistoryFlushService>());
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
        ApiKeyRateLimitRegistration.Add(services);
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

    /// <summary>An observer of the seam, the same singleton as its own service; once, however often this runs.</summary>
    internal static void AddObserver<TObserver>(IServiceCollection services)
        where TObserver : class, IApiKeyOutcomeObserver
    {
        if (!services.Any(d => d.ServiceType == typeof(IApiKeyOutcomeObserver) && d.ImplementationFactory?.Target is ObserverOf<TObserver>))
        {
            services.AddSingleton<IApiKeyOutcomeObserver>(new ObserverOf<TObserver>().Resolve);
        }
    }

    /// <summary>The API-key schemes added to this service collection.</summary>
    internal sealed class ApiKeySchemeNames
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ObserverOf<TObserver>
        where TObserver : class, IApiKeyOutcomeObserver
    {
#pragma warning disable CA1822 // An instance method, so that the delegate's Target tells which observer a registration is.
        public IApiKeyOutcomeObserver Resolve(IServiceProvider services) => services.GetRequiredService<TObserver>();
#pragma warning restore CA1822
    }

    /// <summary>Every API-key scheme's query parameter is a credential: redacted from every request before anything logs it.</summary>
    private sealed class SchemeQueryParameterRedaction(IServiceProvider services) : IPostConfigureOptions<ApiKeyOptions>
    {
        public void PostConfigure(string? name, ApiKeyOptions options)
        {
            var schemes = services.GetService<ApiKeySchemeNames>();
            var schemeOptions = services.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>();
            foreach (var scheme in schemes?.Names ?? [])
            {
                if (schemeOptions.Get(scheme).QueryParameterName is { } parameter)
                {
                    options.RedactedQueryParameters.Add(parameter);
                }
            }
        }
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys;

/// <summary>The services of the authentication core: scheme, verification cache, usage tracking, metrics.</summary>
internal static class ApiKeyAuthenticationRegistration
{
    public static void AddAuthenticationCore(IServiceCollection services, Action<ApiKeyAuthenticationOptions>? configureScheme)
    {
        services.AddMetrics();
        services.TryAddSingleton<ApiKeyMetrics>();
        services.TryAddSingleton<ApiKeyHandlerLoggerFactory>();
        services.TryAddSingleton<ApiKeyVerificationCache>();
        services.TryAddSingleton<IApiKeyVerificationCache>(sp => sp.GetRequiredService<ApiKeyVerificationCache>());
        services.TryAddSingleton<ApiKeyUsageTracker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ApiKeyUsageFlushService>());

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

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyAuthenticationOptions>, ApiKeyAuthenticationOptionsValidator>());
        services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyDefaults.AuthenticationScheme).ValidateOnStart();

        // AddScheme throws when the scheme exists, so a second AddApiKeyAuth only adds the extra configuration.
        if (!services.Any(d => d.ServiceType == typeof(ApiKeySchemeMarker)))
        {
            services.AddSingleton<ApiKeySchemeMarker>();
            services.AddAuthentication()
                .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.AuthenticationScheme, displayName: "API key", configureScheme);
        }
        else if (configureScheme is not null)
        {
            services.Configure(ApiKeyDefaults.AuthenticationScheme, configureScheme);
        }
    }

    /// <summary>Marks that the API-key scheme was added to this service collection.</summary>
    private sealed class ApiKeySchemeMarker;
}

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.RateLimiting.Enforcement;

namespace P2P.ApiKeys.DependencyInjection;

/// <summary>
/// The services of per-key limits: the in-process limiter (kept under a service key when another one replaces it),
/// the limit step, and the matcher policy that places the step in front of every authorized endpoint.
/// </summary>
internal static class ApiKeyRateLimitRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<ApiKeyRateLimitOptions>();
        services.TryAddKeyedSingleton<IApiKeyLimiter>(
            ApiKeyRateLimitOptions.LocalLimiterServiceKey,
            static (sp, _) => new LocalApiKeyLimiter(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<IApiKeyLimiter>(ApiKeyRateLimitOptions.LocalLimiterServiceKey));
        services.TryAddSingleton<IApiKeyOwnerLimitStore, InMemoryApiKeyOwnerLimitStore>();
        services.TryAddSingleton<ApiKeyOwnerLimitCache>();
        services.TryAddSingleton<ApiKeyLimitStep>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ApiKeyQuotaPersistenceService>());

        // One of many matcher policies: whatever else the host registers (its own IAuthorizationMiddlewareResultHandler
        // included, before or after this), the step stays in front of every endpoint that requires authorization.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ApiKeyLimitEndpointPolicy>());
    }
}

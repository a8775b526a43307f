using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>The services of per-key limits: the in-process limiter, the per-client lookup limit and enforcement.</summary>
internal static class ApiKeyRateLimitRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<ApiKeyRateLimitOptions>();
        services.TryAddSingleton<ApiKeyRateLimitMetrics>();
        services.TryAddKeyedSingleton<IApiKeyLimiter>(
            ApiKeyRateLimitOptions.LocalLimiterServiceKey,
            static (sp, _) => new LocalApiKeyLimiter(Clock(sp)));
        services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<IApiKeyLimiter>(ApiKeyRateLimitOptions.LocalLimiterServiceKey));
        services.TryAddSingleton(static sp => new ClientLookupLimiter(
            sp.GetRequiredService<IOptions<ApiKeyRateLimitOptions>>(), Clock(sp)));

        // Enforcement wraps the authorization result handler registered so far (the framework's, after the
        // AddAuthorization call of the authentication core), once.
        if (services.Any(d => d.ServiceType == typeof(EnforcementMarker)))
        {
            return;
        }

        services.AddSingleton<EnforcementMarker>();
        var wrapped = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        if (wrapped is not null)
        {
            services.Remove(wrapped);
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(sp => new ApiKeyLimitAuthorizationResultHandler(
            CreateInner(sp, wrapped),
            sp.GetRequiredService<IApiKeyLimiter>(),
            sp.GetRequiredService<IOptionsMonitor<ApiKeyRateLimitOptions>>(),
            sp.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>(),
            Clock(sp),
            sp.GetRequiredService<ApiKeyRateLimitMetrics>(),
            sp.GetRequiredService<ILogger<ApiKeyLimitAuthorizationResultHandler>>()));
    }

    private static TimeProvider Clock(IServiceProvider services) =>
        services.GetRequiredService<TimeProvider>();

    private static IAuthorizationMiddlewareResultHandler CreateInner(IServiceProvider services, ServiceDescriptor? descriptor) => descriptor switch
    {
        null => new AuthorizationMiddlewareResultHandler(),
        { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => instance,
        { ImplementationFactory: { } factory } => (IAuthorizationMiddlewareResultHandler)factory(services),
        { ImplementationType: { } type } => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(services, type),
        _ => new AuthorizationMiddlewareResultHandler(),
    };

    /// <summary>Marks that enforcement wraps the result handler in this service collection.</summary>
    private sealed class EnforcementMarker;
}

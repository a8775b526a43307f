using P2P.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Redaction;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds P2P.ApiKeys to a service collection.</summary>
public static class ApiKeyServiceCollectionExtensions
{
    /// <summary>
    /// Adds API-key authentication: options, key format, hashing, the verification cache, the
    /// <see cref="IApiKeyManager"/> and the <see cref="ApiKeyDefaults.AuthenticationScheme"/> authentication scheme.
    /// Choose stores on the returned builder (<c>AddInMemoryStores()</c>, <c>AddEntityFrameworkCoreStores&lt;TContext&gt;()</c>).
    /// More schemes (another header, other events) come from <c>AddAuthentication().AddApiKey(name, …)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Library-wide settings: key prefix, pepper, default and known scopes, cache.</param>
    /// <param name="configureScheme">The authentication scheme: header name, <c>Authorization: ApiKey</c>, query opt-in, events.</param>
    public static ApiKeyAuthBuilder AddApiKeyAuth(
        this IServiceCollection services,
        Action<ApiKeyOptions>? configure = null,
        Action<ApiKeyAuthenticationOptions>? configureScheme = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        AddRequestRedaction(services);
        services.AddAuthentication().AddApiKey(ApiKeyDefaults.AuthenticationScheme, "API key", configureScheme);
        return new ApiKeyAuthBuilder(services);
    }

    // Every request is redacted (credential query values, control characters in the path) before its
    // HttpContext exists, so no log line, the hosting diagnostics' "Request starting" included, can hold a key
    // or a token, whatever the log configuration. Wraps the context factory registered so far (the web host's
    // DefaultHttpContextFactory unless the host chose another).
    private static void AddRequestRedaction(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ApiKeyRequestRedaction)))
        {
            return;
        }

        services.AddSingleton<ApiKeyRequestRedaction>();
        services.AddSingleton<IPostConfigureOptions<Microsoft.Extensions.Logging.LoggerFilterOptions>, KestrelBadRequestLogFilter>();
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IHttpContextFactory));
        services.AddSingleton<IHttpContextFactory>(sp => new RedactingHttpContextFactory(
            previous switch
            {
                { ImplementationInstance: IHttpContextFactory instance } => instance,
                { ImplementationFactory: { } factory } => (IHttpContextFactory)factory(sp),
                { ImplementationType: { } type } => (IHttpContextFactory)ActivatorUtilities.CreateInstance(sp, type),
                _ => new DefaultHttpContextFactory(sp),
            },
            sp.GetRequiredService<ApiKeyRequestRedaction>()));
    }
}

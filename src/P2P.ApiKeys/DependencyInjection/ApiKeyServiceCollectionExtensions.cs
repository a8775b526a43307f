using P2P.ApiKeys;

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

        services.AddAuthentication().AddApiKey(ApiKeyDefaults.AuthenticationScheme, "API key", configureScheme);
        return new ApiKeyAuthBuilder(services);
    }
}

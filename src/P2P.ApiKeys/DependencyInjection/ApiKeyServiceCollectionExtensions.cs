using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2P.ApiKeys;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Management;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds P2P.ApiKeys to a service collection.</summary>
public static class ApiKeyServiceCollectionExtensions
{
    /// <summary>
    /// Adds API-key authentication: options, key format, hashing, the verification cache, the
    /// <see cref="IApiKeyManager"/> and the <see cref="ApiKeyDefaults.AuthenticationScheme"/> authentication scheme. Choose stores on the returned
    /// builder (<c>AddInMemoryStores()</c>, <c>AddEntityFrameworkCoreStores&lt;TContext&gt;()</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Library-wide settings: key prefix, pepper, default scopes, cache.</param>
    /// <param name="configureScheme">The authentication scheme: header name, <c>Authorization: ApiKey</c>, query opt-in, events.</param>
    public static ApiKeyAuthBuilder AddApiKeyAuth(
        this IServiceCollection services,
        Action<ApiKeyOptions>? configure = null,
        Action<ApiKeyAuthenticationOptions>? configureScheme = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ApiKeyOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ApiKeyFormat(sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value.KeyPrefix));
        services.TryAddSingleton(sp =>
        {
            var pepper = sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Pepper;
            return new ApiKeySecretHasher(pepper is null ? null : System.Text.Encoding.UTF8.GetBytes(pepper));
        });

        services.TryAddSingleton<IApiKeyChangeNotifier, LocalApiKeyChangeNotifier>();
        services.TryAddSingleton<IApiKeyManager, ApiKeyManager>();
        ApiKeyAuthenticationRegistration.AddAuthenticationCore(services, configureScheme);

        return new ApiKeyAuthBuilder(services);
    }
}

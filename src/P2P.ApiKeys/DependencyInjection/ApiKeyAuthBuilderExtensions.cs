using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys;

/// <summary>Configures the API-key authentication scheme after <c>AddApiKeyAuth</c>.</summary>
public static class ApiKeyAuthBuilderExtensions
{
    /// <summary>
    /// Configures the <see cref="ApiKeyDefaults.AuthenticationScheme"/> scheme: header name,
    /// <c>Authorization: ApiKey</c>, the opt-in query parameter and the events.
    /// </summary>
    public static ApiKeyAuthBuilder ConfigureAuthenticationScheme(this ApiKeyAuthBuilder builder, Action<ApiKeyAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(ApiKeyDefaults.AuthenticationScheme, configure);
        return builder;
    }
}

using P2P.ApiKeys;
using P2P.ApiKeys.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>API-key authorization for endpoints.</summary>
public static class ApiKeyEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires an API key (scheme <see cref="ApiKeyDefaults.AuthenticationScheme"/>) that carries every one of
    /// <paramref name="scopes"/>: 401 without a valid key, 403 when a scope is missing.
    /// </summary>
    public static TBuilder RequireApiKeyScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(ApiKeyPolicies.ScopePolicy(scopes));
    }
}

using Microsoft.AspNetCore.Authentication;
using P2P.ApiKeys;
using P2P.ApiKeys.DependencyInjection;
using P2P.ApiKeys.Authentication;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds API-key authentication schemes to an <see cref="AuthenticationBuilder"/>, as <c>AddJwtBearer</c> does.</summary>
public static class ApiKeyAuthenticationBuilderExtensions
{
    /// <summary>Adds the <see cref="ApiKeyDefaults.AuthenticationScheme"/> scheme.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder) =>
        builder.AddApiKey(ApiKeyDefaults.AuthenticationScheme, displayName: null, configure: null);

    /// <summary>Adds the <see cref="ApiKeyDefaults.AuthenticationScheme"/> scheme with its options.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Header name, <c>Authorization: ApiKey</c>, query opt-in, events.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, Action<ApiKeyAuthenticationOptions> configure) =>
        builder.AddApiKey(ApiKeyDefaults.AuthenticationScheme, displayName: null, configure);

    /// <summary>
    /// Adds an API-key scheme named <paramref name="authenticationScheme"/>, so that a host can run several (another
    /// header, other events) beside JwtBearer or cookies. Every scheme verifies keys of the library's format against
    /// the same store; stores come from <c>AddApiKeyAuth(…).AddInMemoryStores()</c> or
    /// <c>.AddEntityFrameworkCoreStores&lt;TContext&gt;()</c>. Authorize with a policy on that scheme
    /// (<c>policy.AddAuthenticationSchemes(name)</c>); <c>RequireApiKeyScope</c> uses the default scheme.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Header name, <c>Authorization: ApiKey</c>, query opt-in, events.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<ApiKeyAuthenticationOptions>? configure) =>
        builder.AddApiKey(authenticationScheme, displayName: null, configure);

    /// <summary>Adds an API-key scheme named <paramref name="authenticationScheme"/> with a display name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="displayName">The scheme's display name.</param>
    /// <param name="configure">Header name, <c>Authorization: ApiKey</c>, query opt-in, events.</param>
    /// <returns>The same builder.</returns>
    public static AuthenticationBuilder AddApiKey(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<ApiKeyAuthenticationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        return ApiKeyAuthenticationRegistration.AddScheme(builder, authenticationScheme, displayName, configure);
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// The admin routes' credentials: the <see cref="AdminDefaults.CredentialsScheme"/> policy scheme sends a request with an
/// API key to the API-key scheme and any other to <see cref="AdminDefaults.AuthenticationScheme"/>, so that exactly one
/// scheme authenticates, challenges (401) and forbids (403) it. One policy per permission on top of it.
/// </summary>
internal static class AdminAuthorization
{
    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication().AddPolicyScheme(AdminDefaults.CredentialsScheme, displayName: null, o => o.ForwardDefaultSelector = SelectScheme);
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(AdminDefaults.AuthorizationPolicy, policy => policy
                .AddAuthenticationSchemes(AdminDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(AdminOrFirstAdminRequirement.PolicyName, policy => policy
                .AddAuthenticationSchemes(AdminDefaults.CredentialsScheme)
                .AddRequirements(new AdminOrFirstAdminRequirement()));
        foreach (var permission in AdminPermissions.All)
        {
            authorization.AddPolicy(AdminDefaults.PermissionPolicy(permission), policy => policy
                .AddAuthenticationSchemes(AdminDefaults.CredentialsScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new AdminPermissionRequirement(permission)));
        }
    }

    /// <summary>
    /// A bearer token goes to the admin scheme even when an API key is sent too (an admin token is never read as a key,
    /// and a key never as a token, docs/security.md rule 14); otherwise a request that carries an API key where the API-key
    /// scheme reads it goes to that scheme.
    /// </summary>
    private static string SelectScheme(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AdminDefaults.AuthenticationScheme;
        }

        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>().Get(ApiKeyDefaults.AuthenticationScheme);
        var presentsKey = request.Headers.ContainsKey(options.HeaderName)
            || (options.AllowAuthorizationHeader && authorization.StartsWith(ApiKeyDefaults.AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase))
            || (options.QueryParameterName is { Length: > 0 } query && request.Query.ContainsKey(query));
        return presentsKey ? ApiKeyDefaults.AuthenticationScheme : AdminDefaults.AuthenticationScheme;
    }
}

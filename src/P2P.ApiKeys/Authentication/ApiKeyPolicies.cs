using Microsoft.AspNetCore.Authorization;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Authorization policies for API-key scopes. Every policy names the <see cref="ApiKeyDefaults.AuthenticationScheme"/>
/// scheme explicitly, so an endpoint guarded by a scope never accepts another scheme's principal (an admin
/// token), whatever the default scheme is.
/// </summary>
public static class ApiKeyPolicies
{
    /// <summary>The prefix of the policy names returned by <see cref="Scope"/>; they are built on demand.</summary>
    public const string ScopePolicyPrefix = "ApiKeyScope:";

    /// <summary>
    /// The name of the policy that requires an API key carrying <paramref name="scope"/>, for
    /// <c>RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"))</c> or <c>[Authorize(Policy = ...)]</c>.
    /// </summary>
    public static string Scope(string scope)
    {
        ValidateScope(scope);
        return ScopePolicyPrefix + scope;
    }

    /// <summary>A policy that requires an API key carrying every one of <paramref name="scopes"/>.</summary>
    public static AuthorizationPolicy ScopePolicy(params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var builder = new AuthorizationPolicyBuilder(ApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser();
        foreach (var scope in scopes)
        {
            ValidateScope(scope);
            builder.RequireClaim(ApiKeyClaimTypes.Scope, scope);
        }

        return builder.Build();
    }

    private static void ValidateScope(string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        if (scope.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("A scope must not contain white space.", nameof(scope));
        }
    }
}

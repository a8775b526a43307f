using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Builds the <see cref="ApiKeyPolicies.Scope"/> policies on demand, so a host needs no registration per
/// scope; every other name goes to the default provider.
/// </summary>
internal sealed class ApiKeyScopePolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    private readonly ConcurrentDictionary<string, AuthorizationPolicy> _scopePolicies = new(StringComparer.Ordinal);

    /// <summary>
    /// The base class allows caching only for its own type, so without this every request to every
    /// authorized endpoint of the host (API key or not) would rebuild its combined policy. Caching is safe:
    /// the options are fixed as for the default provider, and a scope name always yields the same policy.
    /// </summary>
    public override bool AllowsCachingPolicies => true;

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        // A policy registered under the same name by the host wins.
        var policy = await base.GetPolicyAsync(policyName).ConfigureAwait(false);
        if (policy is not null || !policyName.StartsWith(ApiKeyPolicies.ScopePolicyPrefix, StringComparison.Ordinal))
        {
            return policy;
        }

        var scope = policyName[ApiKeyPolicies.ScopePolicyPrefix.Length..];
        if (scope.Length == 0 || scope.Any(char.IsWhiteSpace))
        {
            return null;
        }

        return _scopePolicies.GetOrAdd(scope, static s => ApiKeyPolicies.ScopePolicy(s));
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Raised after a key was verified. <see cref="ResultContext{TOptions}.Principal"/> holds the key's claims;
/// add claims, replace the principal, or call <see cref="ResultContext{TOptions}.Fail(string)"/> to refuse it.
/// </summary>
public sealed class ApiKeyValidatedContext : ResultContext<ApiKeyAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public ApiKeyValidatedContext(HttpContext context, AuthenticationScheme scheme, ApiKeyAuthenticationOptions options, ClaimsPrincipal principal, Guid keyId, string lookupId)
        : base(context, scheme, options)
    {
        Principal = principal;
        KeyId = keyId;
        LookupId = lookupId;
    }

    /// <summary>The id of the stored key record.</summary>
    public Guid KeyId { get; }

    /// <summary>The public lookup id of the key.</summary>
    public string LookupId { get; }
}

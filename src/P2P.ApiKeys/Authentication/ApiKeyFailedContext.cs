using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Raised when a presented key was refused. The response stays a 401 (503 when the store is unavailable)
/// unless the handler sets a result, for example <see cref="ResultContext{TOptions}.NoResult"/>.
/// </summary>
public sealed class ApiKeyFailedContext : ResultContext<ApiKeyAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public ApiKeyFailedContext(HttpContext context, AuthenticationScheme scheme, ApiKeyAuthenticationOptions options, ApiKeyValidationFailure failure, string? lookupId)
        : base(context, scheme, options)
    {
        Failure = failure;
        LookupId = lookupId;
    }

    /// <summary>Why the key was refused.</summary>
    public ApiKeyValidationFailure Failure { get; }

    /// <summary>The public lookup id of a well-formed key; <see langword="null"/> for a malformed one.</summary>
    public string? LookupId { get; }
}

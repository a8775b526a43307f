using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Raised before the API-key scheme answers 403 (a valid key without a scope the endpoint requires). Write your own
/// response and call <see cref="HandleResponse"/> to replace the library's problem+json body.
/// </summary>
public sealed class ApiKeyForbiddenContext : PropertiesContext<ApiKeyAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public ApiKeyForbiddenContext(
        HttpContext context, AuthenticationScheme scheme, ApiKeyAuthenticationOptions options, AuthenticationProperties? properties, Guid? keyId, string? lookupId)
        : base(context, scheme, options, properties)
    {
        KeyId = keyId;
        LookupId = lookupId;
    }

    /// <summary>The id of the refused key's record, when this scheme verified the request's key.</summary>
    public Guid? KeyId { get; }

    /// <summary>The public lookup id of that key.</summary>
    public string? LookupId { get; }

    /// <summary>Whether <see cref="HandleResponse"/> was called: the library then writes nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the library's response: the event wrote its own.</summary>
    public void HandleResponse() => Handled = true;
}

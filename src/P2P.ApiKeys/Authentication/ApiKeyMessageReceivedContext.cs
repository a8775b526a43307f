using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Raised first, before the handler reads the key from the request. Set <see cref="Key"/> to take the key from
/// somewhere else (another header, a cookie, a WebSocket sub-protocol); leave it <see langword="null"/> to read
/// <see cref="ApiKeyAuthenticationOptions.HeaderName"/> and the other configured places. A result set here
/// (<see cref="ResultContext{TOptions}.NoResult"/>, <see cref="ResultContext{TOptions}.Fail(string)"/>) ends the
/// authentication.
/// </summary>
public sealed class ApiKeyMessageReceivedContext : ResultContext<ApiKeyAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public ApiKeyMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, ApiKeyAuthenticationOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>The key to verify instead of the one in the request's configured places; never logged.</summary>
    public string? Key { get; set; }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Raised before the API-key scheme answers a challenge: 401 (no key, or a refused one), 429 (the client's store-lookup
/// budget is spent) or 503 (the store is unavailable). Write your own response and call <see cref="HandleResponse"/>
/// to replace the library's problem+json body; never echo the key.
/// </summary>
public sealed class ApiKeyChallengeContext : PropertiesContext<ApiKeyAuthenticationOptions>
{
    /// <summary>Creates the context.</summary>
    public ApiKeyChallengeContext(
        HttpContext context, AuthenticationScheme scheme, ApiKeyAuthenticationOptions options, AuthenticationProperties? properties,
        ApiKeyValidationFailure? failure, Exception? authenticateFailure, int statusCode)
        : base(context, scheme, options, properties)
    {
        Failure = failure;
        AuthenticateFailure = authenticateFailure;
        StatusCode = statusCode;
    }

    /// <summary>Why the presented key was refused; <see langword="null"/> when no key was presented.</summary>
    public ApiKeyValidationFailure? Failure { get; }

    /// <summary>The failure of the authentication result, as <c>JwtBearerChallengeContext.AuthenticateFailure</c>; fixed text, never the key.</summary>
    public Exception? AuthenticateFailure { get; }

    /// <summary>The status the library answers unless the response is handled: 401, 429 or 503.</summary>
    public int StatusCode { get; }

    /// <summary>Whether <see cref="HandleResponse"/> was called: the library then writes nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the library's response: the event wrote its own.</summary>
    public void HandleResponse() => Handled = true;
}

using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// What <see cref="ApiKeyRateLimitOptions.OnRejected"/> gets when a key's rate limit or quota refuses a request, as
/// ASP.NET Core's <c>OnRejectedContext</c>: the status (429), <c>Retry-After</c> and the <c>RateLimit</c> fields are set.
/// </summary>
public sealed class ApiKeyRateLimitRejectedContext
{
    /// <summary>Creates the context.</summary>
    public ApiKeyRateLimitRejectedContext(HttpContext httpContext, Guid keyId, string lookupId, ApiKeyLimitStatus status, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(lookupId);
        HttpContext = httpContext;
        KeyId = keyId;
        LookupId = lookupId;
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>The refused request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The id of the key's record.</summary>
    public Guid KeyId { get; }

    /// <summary>The key's public lookup id; never the key.</summary>
    public string LookupId { get; }

    /// <summary>The limiter's answer: which limit refused, what is used and when each resets.</summary>
    public ApiKeyLimitStatus Status { get; }

    /// <summary>When the request may succeed: the end of the window or period that refused it.</summary>
    public TimeSpan RetryAfter { get; }
}

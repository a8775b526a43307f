using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using P2P.ApiKeys.Redaction;

namespace P2P.ApiKeys;

/// <summary>Access to what <c>AddApiKeyAuth</c> redacts from each request before anything logs it.</summary>
public static class ApiKeyRequestExtensions
{
    /// <summary>
    /// The query parameters as the client sent them. <c>AddApiKeyAuth</c> replaces the values of credential
    /// parameters (<see cref="ApiKeyOptions.RedactedQueryParameters"/>) in <see cref="HttpRequest.Query"/> so
    /// that no log line can hold them; code that must read such a value (for example a SignalR
    /// <c>access_token</c>) reads it here.
    /// </summary>
    /// <param name="request">The request.</param>
    public static IQueryCollection GetUnredactedQuery(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext.Features.Get<IUnredactedQueryFeature>() is { } original
            ? new QueryCollection(QueryHelpers.ParseQuery(original.Query.Value))
            : request.Query;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Usage;

namespace Microsoft.AspNetCore.Routing;

/// <summary>Maps the endpoint through which an API key reads itself.</summary>
public static class ApiKeySelfEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET {pattern}</c> (by default <c>/api/keys/self</c>): authenticated by the API key itself, no scope
    /// needed, it answers the key's name, scopes, expiry, the limits in force with their current use, today's requests by
    /// outcome and the last 7 days. It shows only the key that made the request, and it does not count against the key's
    /// rate limit or quota (its request is counted as <c>allowed</c> in the usage history). Requires <c>AddApiKeyAuth</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The route of the endpoint.</param>
    /// <returns>A builder for further conventions (a tag, a rate limiter of the host's own).</returns>
    public static RouteHandlerBuilder MapApiKeySelfEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/api/keys/self")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        if (endpoints.ServiceProvider.GetService<ApiKeySelfEndpoint>() is null)
        {
            throw new InvalidOperationException("MapApiKeySelfEndpoint needs its services: call builder.Services.AddApiKeyAuth(...) before building the application.");
        }

        return endpoints.MapGet(pattern, (HttpContext context, [Mvc.FromServices] ApiKeySelfEndpoint self) => self.GetAsync(context))
            .RequireAuthorization(ApiKeyPolicies.ScopePolicy())
            .DisableApiKeyRateLimit()
            .WithName("P2P.ApiKeys.Self")
            .WithSummary("Read this API key")
            .WithDescription("The calling key's name, scopes, expiry, limits with their current use, today's requests by outcome and the last 7 days. " +
                "Authenticated by the key itself; no scope needed; never another key.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}

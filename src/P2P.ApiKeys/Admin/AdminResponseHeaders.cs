using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Every admin response (key creation and rotation, tokens, lists, problems, and the 401/403 answers of the
/// authorization middleware) is sent with <c>Cache-Control: no-store</c> and <c>X-Content-Type-Options: nosniff</c>
/// (docs/security.md rule 25): a full key or token must never land in a browser or proxy cache.
/// </summary>
/// <remarks>
/// Added by a startup filter, so the host needs no extra call: the headers are set when the response starts,
/// once routing has chosen the endpoint, for endpoints that carry <see cref="Marker"/> (every endpoint
/// <c>MapAdminEndpoints</c> maps).
/// </remarks>
internal sealed class AdminResponseHeaders : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static (context, nextMiddleware) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null)
                {
                    var headers = context.Response.Headers;
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                    headers.XContentTypeOptions = "nosniff";
                }

                return Task.CompletedTask;
            }, context);
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>Endpoint metadata: this endpoint's responses are admin responses.</summary>
    public sealed class Marker
    {
        public static readonly Marker Instance = new();

        private Marker()
        {
        }
    }
}

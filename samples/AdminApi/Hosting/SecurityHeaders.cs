namespace AdminApi.Hosting;

/// <summary>
/// Response headers for the whole sample (docs/security.md rule 25): <c>X-Content-Type-Options: nosniff</c> on every
/// response, and the Swagger UI under <c>/docs</c> may not be framed (<c>Content-Security-Policy:
/// frame-ancestors 'none'</c> and <c>X-Frame-Options: DENY</c> for older browsers). The admin endpoints add
/// <c>Cache-Control: no-store</c> themselves (the library does). Kestrel's <c>Server</c> header is switched off in
/// Program.cs.
/// </summary>
internal static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (context.Request.Path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase))
                {
                    headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                    headers.XFrameOptions = "DENY";
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}

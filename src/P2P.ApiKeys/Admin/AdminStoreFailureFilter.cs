using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Fails closed when a store throws: a 503 ProblemDetails without a stack trace instead of a 500. Every admin action
/// is a single store write, so a failure leaves nothing half-written.
/// </summary>
internal static class AdminStoreFailureFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
#pragma warning disable CA1031 // Any store failure must fail closed with a 503, never a 500.
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.HttpContext.Response.HasStarted)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<AdminEndpoints>>();
            AdminLog.StoreUnavailable(logger, ex);
            return Unavailable(context.HttpContext);
        }
#pragma warning restore CA1031
    }

    public static Task WriteUnavailableAsync(HttpContext context) => Unavailable(context).ExecuteAsync(context);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(detail: "The admin service is temporarily unavailable; retry shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
    }
}

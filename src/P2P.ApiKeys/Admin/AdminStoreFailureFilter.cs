using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Fails closed when a store is unreachable: a 503 ProblemDetails with <c>Retry-After</c> and no stack trace. Any other
/// exception is a bug, not an outage: a 500 ProblemDetails without details (telling the client to retry would be a lie).
/// Every admin action is a single conditional store write, so a failure leaves nothing half-written.
/// </summary>
internal static class AdminStoreFailureFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
#pragma warning disable CA1031 // A failure must end as a ProblemDetails without details, never a stack trace.
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.HttpContext.Response.HasStarted)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<AdminEndpoints>>();
            if (IsStoreUnavailable(ex))
            {
                AdminLog.StoreUnavailable(logger, ex);
                return Unavailable(context.HttpContext);
            }

            AdminLog.UnexpectedFailure(logger, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal server error",
                detail: "The request failed unexpectedly.");
        }
#pragma warning restore CA1031
    }

    public static Task WriteUnavailableAsync(HttpContext context) => Unavailable(context).ExecuteAsync(context);

    /// <summary>
    /// Whether <paramref name="exception"/> says the store cannot be reached: a database (<see cref="DbException"/>, which
    /// EF Core wraps), a time-out, a socket or an I/O failure, anywhere in its chain of inner exceptions. A store of the
    /// host's own signals an outage the same way.
    /// </summary>
    public static bool IsStoreUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or TimeoutException or SocketException or IOException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsStoreUnavailable))
            {
                return true;
            }
        }

        return false;
    }

    private static ProblemHttpResult Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(detail: "The admin service is temporarily unavailable; retry shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using P2P.ApiKeys.Admin.Users;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// The one mapping from a manager's failure to the admin routes' ProblemDetails: <c>Invalid</c> 400 (a validation problem
/// with <c>errors</c>), <c>NotFound</c> 404, <c>Conflict</c> 409, a refused login 401, a lockout 429 with <c>Retry-After</c>.
/// </summary>
internal static class AdminResults
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(detail: $"No {what} has that id.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>A validation problem (400, <c>errors</c> per field), as <c>TypedResults.ValidationProblem</c> writes it.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
        });

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: "Too many login attempts; retry later.", statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests");
    }

    /// <summary>The problem of a failed <see cref="IApiKeyManager"/> call.</summary>
    public static ProblemHttpResult Problem<T>(ApiKeyResult<T> result)
        where T : class => result.Error switch
        {
            ApiKeyError.Invalid => Invalid(result.Errors),
            ApiKeyError.NotFound => NotFound("API key"),
            _ => Conflict(result.Detail ?? "Conflict."),
        };

    /// <summary>The problem of a failed <see cref="AdminUserManager"/> call.</summary>
    public static ProblemHttpResult Problem<T>(AdminUserResult<T> result, HttpContext context)
        where T : class => result.Error switch
        {
            AdminUserError.Invalid => Invalid(result.Errors),
            AdminUserError.NotFound => NotFound("admin"),
            AdminUserError.LockedOut => TooManyRequests(context, result.RetryAfter),
            AdminUserError.InvalidCredentials => TypedResults.Problem(detail: result.Detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
            _ => Conflict(result.Detail ?? "Conflict."),
        };
}

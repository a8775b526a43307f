using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Writes an outcome's problem+json answer (through the host's <see cref="IProblemDetailsService"/> when it has one):
/// the status, type, title and fixed detail of its row in <see cref="ApiKeyOutcomes"/>, never anything the client sent.
/// </summary>
internal static class ApiKeyProblem
{
    /// <summary>The quota-exceeded problem type's member naming the policies that refused the request.</summary>
    public const string ViolatedPolicies = "violated-policies";

    public static async Task WriteAsync(HttpContext context, ApiKeyOutcomeInfo outcome, string? detail = null, long? retryAfterSeconds = null, string? limit = null)
    {
        var response = context.Response;
        response.StatusCode = outcome.StatusCode;
        var problem = new ProblemDetails { Type = outcome.ProblemType, Title = outcome.Title, Status = outcome.StatusCode, Detail = detail ?? outcome.Detail };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            problem.Extensions["retry_after"] = seconds;
        }

        if (limit is not null)
        {
            // The policy names of the RateLimit fields, as draft-ietf-httpapi-ratelimit-headers-11 defines the member.
            problem.Extensions[ViolatedPolicies] = new[] { limit };
        }

        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is not null && await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            return;
        }

        await response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The challenge's answer: 401 with <c>WWW-Authenticate: ApiKey</c>, 503 with <c>Retry-After: 5</c>, or 429 with the
    /// seconds left in the client's lookup-budget window (windows are aligned to the Unix epoch, so the client's window
    /// ends where every window of that length does).
    /// </summary>
    public static Task WriteChallengeAsync(HttpContext context, ApiKeyOutcomeInfo outcome, ApiKeyRefusedException? refusal, DateTimeOffset now)
    {
        if (outcome.Outcome == ApiKeyOutcome.ClientThrottled && refusal is { RetryWindow.Ticks: > 0 })
        {
            var windowMs = (long)refusal.RetryWindow.TotalMilliseconds;
            var left = TimeSpan.FromMilliseconds(windowMs - (now.ToUnixTimeMilliseconds() % windowMs));
            return WriteAsync(context, outcome, retryAfterSeconds: Seconds(left), limit: "client");
        }

        if (outcome.Outcome == ApiKeyOutcome.StoreUnavailable)
        {
            return WriteAsync(context, outcome, retryAfterSeconds: 5);
        }

        context.Response.Headers.Append(HeaderNames.WWWAuthenticate, ApiKeyDefaults.AuthorizationScheme);
        return WriteAsync(context, outcome);
    }

    /// <summary>Whole seconds, rounded up, at least 1: a client that waits that long finds the window over.</summary>
    public static long Seconds(TimeSpan time) => Math.Max(1, (long)Math.Ceiling(time.TotalSeconds));
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Enforces per-key rate limits and quotas at authorization time: after the endpoint's policy succeeded for a
/// principal of an API-key scheme, and before the endpoint runs. Wraps the host's
/// <see cref="IAuthorizationMiddlewareResultHandler"/>, which still handles every other case (401, 403, and
/// endpoints reached with another scheme). Endpoints without authorization, or with
/// <see cref="DisableApiKeyRateLimitAttribute"/>, are not limited.
/// </summary>
internal sealed class ApiKeyLimitAuthorizationResultHandler(
    IAuthorizationMiddlewareResultHandler inner,
    IApiKeyLimiter limiter,
    IOptionsMonitor<ApiKeyRateLimitOptions> options,
    IAuthenticationSchemeProvider schemes,
    TimeProvider time,
    ApiKeyRateLimitMetrics metrics,
    ILogger<ApiKeyLimitAuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private string[]? _apiKeySchemes;

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded || context.Features.Get<IApiKeyLimitsFeature>() is not { } key)
        {
            return inner.HandleAsync(next, context, policy, authorizeResult);
        }

        var endpoint = context.GetEndpoint();
        var settings = options.CurrentValue;
        var rateLimit = key.RateLimit ?? settings.DefaultRateLimit;
        var quota = key.Quota ?? settings.DefaultQuota;
        if ((rateLimit is null && quota is null) || endpoint?.Metadata.GetMetadata<DisableApiKeyRateLimitAttribute>() is not null)
        {
            return inner.HandleAsync(next, context, policy, authorizeResult);
        }

        // The principal that passed the policy must be the key's: a request that also carries an admin token, on an
        // endpoint authorized by that token, is not the key's request.
        var apiKeySchemes = _apiKeySchemes;
        if (apiKeySchemes is null)
        {
            return FindSchemesThenHandleAsync(next, context, policy, authorizeResult);
        }

        if (context.User.Identity?.AuthenticationType is not { } scheme || Array.IndexOf(apiKeySchemes, scheme) < 0)
        {
            return inner.HandleAsync(next, context, policy, authorizeResult);
        }

        var cost = endpoint?.Metadata.GetMetadata<ApiKeyRateLimitCostAttribute>()?.Cost ?? 1;
        ValueTask<ApiKeyLimitStatus> pending;
        try
        {
            pending = limiter.AcquireAsync(key.KeyId, rateLimit, quota, cost, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return LimiterFailed(ex, next, context, policy, authorizeResult);
        }

        // The in-process limiter answers synchronously: no state machine, nothing allocated on the allowed path.
        return pending.IsCompletedSuccessfully
            ? Decided(pending.Result, next, context, policy, authorizeResult, key, rateLimit, quota)
            : AwaitDecisionAsync(pending, next, context, policy, authorizeResult, key, rateLimit, quota);
    }

    private async Task FindSchemesThenHandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        _apiKeySchemes = [.. (await schemes.GetAllSchemesAsync().ConfigureAwait(false))
            .Where(s => s.HandlerType == typeof(ApiKeyAuthenticationHandler))
            .Select(s => s.Name)];
        await HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }

    private async Task AwaitDecisionAsync(
        ValueTask<ApiKeyLimitStatus> pending, RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult,
        IApiKeyLimitsFeature key, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota)
    {
        ApiKeyLimitStatus status;
        try
        {
            status = await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            await LimiterFailed(ex, next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        await Decided(status, next, context, policy, authorizeResult, key, rateLimit, quota).ConfigureAwait(false);
    }

    /// <summary>
    /// A limiter that throws (the Redis limiter never does: it falls back to the local one) must not turn every
    /// request into a 500; the request goes on unlimited and the failure is logged.
    /// </summary>
    private Task LimiterFailed(Exception ex, RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ApiKeyRateLimitLog.LimiterFailed(logger, ex);
        return inner.HandleAsync(next, context, policy, authorizeResult);
    }

    private Task Decided(
        in ApiKeyLimitStatus status, RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult,
        IApiKeyLimitsFeature key, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota)
    {
        metrics.Record(status.RejectedBy);
        var now = time.GetUtcNow();
        ApiKeyRateLimitHeaders.Write(context.Response.Headers, rateLimit, quota, status, now);
        if (status.IsAllowed)
        {
            return inner.HandleAsync(next, context, policy, authorizeResult);
        }

        var retryAfter = ApiKeyRateLimitHeaders.Seconds(ApiKeyRateLimitHeaders.RetryAfter(status));
        var quotaRefused = status.RejectedBy == ApiKeyLimitKind.Quota;
        ApiKeyRateLimitLog.KeyLimited(logger, key.LookupId, quotaRefused ? "quota" : "rate limit", retryAfter);
        var detail = quotaRefused
            ? $"The API key's {(quota!.Period == ApiKeyQuotaPeriod.Day ? "daily" : "monthly")} quota of {quota.Limit} is used up. " +
              $"It resets at {quota.PeriodEnd(now):yyyy-MM-dd'T'HH:mm:ss'Z'}; retry after {retryAfter} seconds."
            : $"The API key's rate limit of {rateLimit!.Limit} requests per {(long)rateLimit.Window.TotalSeconds} seconds is reached. " +
              $"Retry after {retryAfter} seconds.";
        return WriteTooManyRequestsAsync(context, detail, retryAfter, quotaRefused ? ApiKeyRateLimitHeaders.QuotaPolicyName : ApiKeyRateLimitHeaders.RatePolicyName);
    }

    /// <summary>Writes a 429 problem+json with <c>retry_after</c> (seconds) and <c>limit</c> (<c>rate</c> or <c>quota</c>).</summary>
    internal static async Task WriteTooManyRequestsAsync(HttpContext context, string detail, long retryAfterSeconds, string limit)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        var problem = new ProblemDetails
        {
            Type = "https://tools.ietf.org/html/rfc6585#section-4",
            Title = "Too Many Requests",
            Status = StatusCodes.Status429TooManyRequests,
            Detail = detail,
            Extensions =
            {
                ["retry_after"] = retryAfterSeconds,
                ["limit"] = limit,
            },
        };
        var problemDetails = context.RequestServices.GetService<IProblemDetailsService>();
        if (problemDetails is not null
            && await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted).ConfigureAwait(false);
    }
}

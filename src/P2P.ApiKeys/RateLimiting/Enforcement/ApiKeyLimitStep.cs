using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.RateLimiting.Enforcement;

/// <summary>
/// The per-key limit step: runs just before an endpoint that required authorization (authorization has passed), for
/// the key the request's principal holds. Asks <see cref="IApiKeyLimiter"/> (local, or Redis), writes the <c>RateLimit</c>
/// fields, and answers 429 or runs the endpoint; the seam hears <c>allowed</c>, <c>rate_limited</c> or
/// <c>quota_exhausted</c> with the key. Placed by <see cref="ApiKeyLimitEndpointPolicy"/>, so no registration of the
/// host can remove it.
/// </summary>
internal sealed class ApiKeyLimitStep(
    IApiKeyLimiter limiter,
    IOptionsMonitor<ApiKeyRateLimitOptions> options,
    ApiKeyOutcomeObservers observers,
    TimeProvider time,
    ILogger<ApiKeyLimitStep> logger)
{
    public Task InvokeAsync(HttpContext context, RequestDelegate endpoint, int cost, bool limitsDisabled)
    {
        // The principal that passed the policy must be the key's: a request that also carries an admin token, on an
        // endpoint authorized by that token, is not the key's request.
        if (context.Features.Get<VerifiedApiKey>() is not { } key || !key.IsHeldBy(context.User))
        {
            return endpoint(context);
        }

        var settings = options.CurrentValue;
        var rateLimit = key.RateLimit ?? settings.DefaultRateLimit;
        var quota = key.Quota ?? settings.DefaultQuota;
        if (limitsDisabled || (rateLimit is null && quota is null))
        {
            Publish(context, key, ApiKeyOutcome.Allowed, limitChecked: false);
            return endpoint(context);
        }

        ValueTask<ApiKeyLimitStatus> pending;
        try
        {
            // Counted per lineage: a rotation's replacement (and, during the grace period, the old key) draws from the
            // one budget the customer's first key started, so rotating neither resets nor doubles it.
            pending = limiter.AcquireAsync(key.LineageId, rateLimit, quota, cost, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return LimiterFailed(ex, context, endpoint, key);
        }

        // The in-process limiter answers synchronously: no state machine, nothing allocated on the allowed path.
        return pending.IsCompletedSuccessfully
            ? Decided(pending.Result, context, endpoint, key, rateLimit, quota)
            : AwaitDecisionAsync(pending, context, endpoint, key, rateLimit, quota);
    }

    private async Task AwaitDecisionAsync(
        ValueTask<ApiKeyLimitStatus> pending, HttpContext context, RequestDelegate endpoint, VerifiedApiKey key, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota)
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
            await LimiterFailed(ex, context, endpoint, key).ConfigureAwait(false);
            return;
        }

        await Decided(status, context, endpoint, key, rateLimit, quota).ConfigureAwait(false);
    }

    /// <summary>
    /// A limiter that throws (the Redis limiter never does: it falls back to the local one) must not turn every request
    /// into a 500; the request goes on unlimited and the failure is logged.
    /// </summary>
    private Task LimiterFailed(Exception ex, HttpContext context, RequestDelegate endpoint, VerifiedApiKey key)
    {
        ApiKeyRateLimitLog.LimiterFailed(logger, ex);
        Publish(context, key, ApiKeyOutcome.Allowed, limitChecked: false);
        return endpoint(context);
    }

    private Task Decided(
        in ApiKeyLimitStatus status, HttpContext context, RequestDelegate endpoint, VerifiedApiKey key, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota)
    {
        var now = time.GetUtcNow();
        ApiKeyRateLimitHeaders.Write(context.Response.Headers, rateLimit, quota, status, now);
        if (status.IsAllowed)
        {
            Publish(context, key, ApiKeyOutcome.Allowed, limitChecked: true, status.QuotaUsed);
            return endpoint(context);
        }

        var quotaRefused = status.RejectedBy == ApiKeyLimitKind.Quota;
        var outcome = Publish(context, key, quotaRefused ? ApiKeyOutcome.QuotaExhausted : ApiKeyOutcome.RateLimited, limitChecked: true, status.QuotaUsed);
        var retryAfter = ApiKeyProblem.Seconds(ApiKeyRateLimitHeaders.RetryAfter(status));
        ApiKeyRateLimitLog.KeyLimited(logger, key.LookupId, quotaRefused ? "quota" : "rate limit", retryAfter);
        if (options.CurrentValue.OnRejected is { } onRejected)
        {
            context.Response.StatusCode = outcome.StatusCode;
            return onRejected(new ApiKeyRateLimitRejectedContext(context, key.Id, key.LookupId, status, ApiKeyRateLimitHeaders.RetryAfter(status)), context.RequestAborted).AsTask();
        }

        var detail = quotaRefused
            ? $"The API key's {(quota!.Period switch { ApiKeyQuotaPeriod.Day => "daily", ApiKeyQuotaPeriod.Week => "weekly", _ => "monthly" })} quota of {quota.Limit} is used up. " +
              $"It resets at {quota.PeriodEnd(now):yyyy-MM-dd'T'HH:mm:ss'Z'}; retry after {retryAfter} seconds."
            : rateLimit!.Algorithm == ApiKeyRateLimitAlgorithm.Gcra
                ? $"The API key's rate limit of {rateLimit.Limit} requests per {(long)rateLimit.Window.TotalSeconds} seconds " +
                  $"(bursts of up to {rateLimit.Burst}) is reached. Retry after {retryAfter} seconds."
                : $"The API key's rate limit of {rateLimit.Limit} requests per {(long)rateLimit.Window.TotalSeconds} seconds is reached. " +
                  $"Retry after {retryAfter} seconds.";
        return ApiKeyProblem.WriteAsync(
            context, outcome, detail, retryAfter, quotaRefused ? ApiKeyRateLimitHeaders.QuotaPolicyName : ApiKeyRateLimitHeaders.RatePolicyName);
    }

    private ApiKeyOutcomeInfo Publish(HttpContext context, VerifiedApiKey key, ApiKeyOutcome outcome, bool limitChecked, long quotaUsed = 0)
    {
        var info = ApiKeyOutcomes.Of(outcome);
        observers.Publish(new ApiKeyOutcomeEvent(info, time.GetUtcNow(), key, key.LookupId, context, limitChecked: limitChecked, quotaUsed: quotaUsed));
        return info;
    }
}

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
    ApiKeyOwnerLimitCache ownerLimits,
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

        if (key.Owner is { } owner && !limitsDisabled)
        {
            ValueTask<ApiKeyOwnerLimits?> pendingOwner;
            try
            {
                pendingOwner = ownerLimits.GetAsync(owner, context.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return LimiterFailed(ex, context, endpoint, key);
            }

            return pendingOwner.IsCompletedSuccessfully
                ? Limit(context, endpoint, cost, key, pendingOwner.Result)
                : AwaitOwnerAsync(pendingOwner, context, endpoint, cost, key);
        }

        return Limit(context, endpoint, cost, key, ownerLimits: null, limitsDisabled);
    }

    private async Task AwaitOwnerAsync(ValueTask<ApiKeyOwnerLimits?> pending, HttpContext context, RequestDelegate endpoint, int cost, VerifiedApiKey key)
    {
        ApiKeyOwnerLimits? limits;
        try
        {
            limits = await pending.ConfigureAwait(false);
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

        await Limit(context, endpoint, cost, key, limits).ConfigureAwait(false);
    }

    private Task Limit(HttpContext context, RequestDelegate endpoint, int cost, VerifiedApiKey key, ApiKeyOwnerLimits? ownerLimits, bool limitsDisabled = false)
    {
        var settings = options.CurrentValue;
        var rateLimit = key.RateLimit ?? settings.DefaultRateLimit;
        var quota = key.Quota ?? settings.DefaultQuota;
        if (ownerLimits is not null && !ownerLimits.IsEmpty)
        {
            return LimitWithOwner(context, endpoint, cost, key, rateLimit, quota, ownerLimits);
        }

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

    /// <summary>The key's budget and its owner's, decided together: the request must fit both; a refusal counts in neither.</summary>
    private async Task LimitWithOwner(
        HttpContext context, RequestDelegate endpoint, int cost, VerifiedApiKey key, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, ApiKeyOwnerLimits owner)
    {
        ApiKeyBudgetStatus status;
        try
        {
            status = await limiter.AcquireAsync(
                key.LineageId, rateLimit, quota, ApiKeyOwnerBudget.PartitionOf(key.Owner!), owner.RateLimit, owner.Quota, cost, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (NotSupportedException)
        {
            // A limiter written before owner budgets existed: the key's own limits still hold (the owner's cannot be counted).
            await Limit(context, endpoint, cost, key, ownerLimits: null).ConfigureAwait(false);
            return;
        }
        catch (Exception ex)
        {
            await LimiterFailed(ex, context, endpoint, key).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        var ownerShown = ApiKeyRateLimitHeaders.WriteTighter(context.Response.Headers, rateLimit, quota, owner, status, now);
        if (status.IsAllowed)
        {
            Publish(context, key, ApiKeyOutcome.Allowed, limitChecked: true, status.Key.QuotaUsed);
            await endpoint(context).ConfigureAwait(false);
            return;
        }

        if (!ownerShown)
        {
            await Refused(status.Key, context, key, rateLimit, quota, now, ownerBudget: false).ConfigureAwait(false);
            return;
        }

        await Refused(status.Owner, context, key, owner.RateLimit, owner.Quota, now, ownerBudget: true).ConfigureAwait(false);
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

        return Refused(status, context, key, rateLimit, quota, now, ownerBudget: false);
    }

    private Task Refused(
        in ApiKeyLimitStatus status, HttpContext context, VerifiedApiKey key, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, DateTimeOffset now, bool ownerBudget)
    {
        var quotaRefused = status.RejectedBy == ApiKeyLimitKind.Quota;
        var outcome = Publish(context, key, quotaRefused ? ApiKeyOutcome.QuotaExhausted : ApiKeyOutcome.RateLimited, limitChecked: true, status.QuotaUsed);
        var retryAfter = ApiKeyProblem.Seconds(ApiKeyRateLimitHeaders.RetryAfter(status));
        ApiKeyRateLimitLog.KeyLimited(logger, key.LookupId, (ownerBudget ? "owner " : string.Empty) + (quotaRefused ? "quota" : "rate limit"), retryAfter);
        if (options.CurrentValue.OnRejected is { } onRejected)
        {
            context.Response.StatusCode = outcome.StatusCode;
            return onRejected(new ApiKeyRateLimitRejectedContext(context, key.Id, key.LookupId, status, ApiKeyRateLimitHeaders.RetryAfter(status)), context.RequestAborted).AsTask();
        }

        var whose = ownerBudget ? "The key owner's" : "The API key's";
        var detail = quotaRefused
            ? $"{whose} {(quota!.Period switch { ApiKeyQuotaPeriod.Day => "daily", ApiKeyQuotaPeriod.Week => "weekly", _ => "monthly" })} quota of {quota.Limit} is used up. " +
              $"It resets at {quota.PeriodEnd(now):yyyy-MM-dd'T'HH:mm:ss'Z'}; retry after {retryAfter} seconds."
            : rateLimit!.Algorithm == ApiKeyRateLimitAlgorithm.Gcra
                ? $"{whose} rate limit of {rateLimit.Limit} requests per {(long)rateLimit.Window.TotalSeconds} seconds " +
                  $"(bursts of up to {rateLimit.Burst}) is reached. Retry after {retryAfter} seconds."
                : $"{whose} rate limit of {rateLimit.Limit} requests per {(long)rateLimit.Window.TotalSeconds} seconds is reached. " +
                  $"Retry after {retryAfter} seconds.";
        var policy = ownerBudget
            ? (quotaRefused ? ApiKeyRateLimitHeaders.OwnerQuotaPolicyName : ApiKeyRateLimitHeaders.OwnerRatePolicyName)
            : (quotaRefused ? ApiKeyRateLimitHeaders.QuotaPolicyName : ApiKeyRateLimitHeaders.RatePolicyName);
        return ApiKeyProblem.WriteAsync(context, outcome, detail, retryAfter, policy);
    }

    private ApiKeyOutcomeInfo Publish(HttpContext context, VerifiedApiKey key, ApiKeyOutcome outcome, bool limitChecked, long quotaUsed = 0)
    {
        var info = ApiKeyOutcomes.Of(outcome);
        observers.Publish(new ApiKeyOutcomeEvent(info, time.GetUtcNow(), key, key.LookupId, context, limitChecked: limitChecked, quotaUsed: quotaUsed));
        return info;
    }
}

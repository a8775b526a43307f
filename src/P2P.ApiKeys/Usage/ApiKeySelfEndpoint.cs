using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// <c>GET /api/keys/self</c>: the key that authenticated the request, about itself. It reads the request's own verified
/// key (the snapshot the handler put on the request, held by the principal), so it can never show another key.
/// </summary>
internal sealed class ApiKeySelfEndpoint(
    IApiKeyLimiter limiter,
    IOptionsMonitor<ApiKeyRateLimitOptions> limitOptions,
    ApiKeyUsageHistory history,
    IServiceProvider services,
    TimeProvider time)
{
    private readonly IApiKeyUsageStore? _store = services.GetService<IApiKeyUsageStore>();

    public async Task<Results<Ok<ApiKeySelfResponse>, ProblemHttpResult>> GetAsync(HttpContext context)
    {
        if (context.Features.Get<VerifiedApiKey>() is not { } key || !key.IsHeldBy(context.User))
        {
            return TypedResults.Problem(
                detail: "Only an API key can read itself.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var cancellationToken = context.RequestAborted;
        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerDay), TimeSpan.Zero);
        var from = today.AddDays(-6);
        var stored = _store is null
            ? []
            : await _store.ListAsync(
                new ApiKeyUsageFilter { KeyId = key.Id, Granularity = ApiKeyUsageGranularity.Day, From = from, To = today.AddDays(1) },
                cancellationToken).ConfigureAwait(false);

        // Today's bucket also holds what this node counted and has not flushed yet, this request included.
        var pending = history.Pending(key.Id, today, now.AddTicks(1));
        var days = new List<ApiKeyUsageBucket>(7);
        for (var day = from; day <= today; day = day.AddDays(1))
        {
            var start = day;
            var found = stored.Where(b => b.Start == start);
            days.Add(ApiKeyUsageReader.Sum(day, day == today ? found.Concat(pending) : found));
        }

        var settings = limitOptions.CurrentValue;
        var rateLimit = key.RateLimit ?? settings.DefaultRateLimit;
        var quota = key.Quota ?? settings.DefaultQuota;
        ApiKeySelfLimit? rate = null, period = null;
        if (rateLimit is not null || quota is not null)
        {
            var status = await limiter.GetStatusAsync(key.Id, rateLimit, quota, cancellationToken).ConfigureAwait(false);
            rate = rateLimit is null ? null : new ApiKeySelfLimit
            {
                Limit = rateLimit.Limit,
                WindowSeconds = (long)rateLimit.Window.TotalSeconds,
                Used = status.RateLimitUsed,
                Remaining = Math.Max(0, rateLimit.Limit - status.RateLimitUsed),
                ResetsAt = now + status.RateLimitReset,
            };
            period = quota is null ? null : new ApiKeySelfLimit
            {
                Limit = quota.Limit,
                Period = quota.Period == ApiKeyQuotaPeriod.Day ? "day" : "month",
                Used = status.QuotaUsed,
                Remaining = Math.Max(0, quota.Limit - status.QuotaUsed),
                ResetsAt = quota.PeriodEnd(now),
            };
        }

        var inGrace = key.RevokedAt is { } revokedAt && revokedAt > now;
        return TypedResults.Ok(new ApiKeySelfResponse
        {
            Id = key.Id,
            Name = Claim(key, ApiKeyClaimTypes.Name).FirstOrDefault() ?? "",
            Scopes = [.. Claim(key, ApiKeyClaimTypes.Scope)],
            ExpiresAt = key.ExpiresAt,
            GraceEndsAt = inGrace ? key.RevokedAt : null,
            RateLimit = rate,
            Quota = period,
            Today = days[^1],
            Days = days,
        });
    }

    private static IEnumerable<string> Claim(VerifiedApiKey key, string type) =>
        key.Claims.Where(c => string.Equals(c.Type, type, StringComparison.Ordinal)).Select(c => c.Value);
}

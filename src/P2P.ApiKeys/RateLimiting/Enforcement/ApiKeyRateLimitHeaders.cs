using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.RateLimiting.Enforcement;

/// <summary>
/// The <c>RateLimit-Policy</c> and <c>RateLimit</c> fields of draft-ietf-httpapi-ratelimit-headers-09 (Structured
/// Field lists, one item per policy: <c>"rate"</c> for the rate limit, <c>"quota"</c> for the quota), and
/// <c>Retry-After</c> on refusals.
/// </summary>
internal static class ApiKeyRateLimitHeaders
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string StatusHeader = "RateLimit";
    public const string RatePolicyName = "rate";
    public const string QuotaPolicyName = "quota";

    public static void Write(IHeaderDictionary headers, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, in ApiKeyLimitStatus status, DateTimeOffset now)
    {
        if (rateLimit is not null && quota is null)
        {
            headers[PolicyHeader] = RatePolicy(rateLimit);
            headers[StatusHeader] = RateStatus(rateLimit, status);
        }
        else if (rateLimit is null && quota is not null)
        {
            headers[PolicyHeader] = QuotaPolicy(quota, now);
            headers[StatusHeader] = QuotaStatus(quota, status);
        }
        else if (rateLimit is not null && quota is not null)
        {
            headers[PolicyHeader] = RatePolicy(rateLimit) + ", " + QuotaPolicy(quota, now);
            headers[StatusHeader] = RateStatus(rateLimit, status) + ", " + QuotaStatus(quota, status);
        }

        if (!status.IsAllowed)
        {
            headers.RetryAfter = ApiKeyProblem.Seconds(RetryAfter(status)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>When the refused request may succeed: the end of the window or period that refused it.</summary>
    public static TimeSpan RetryAfter(in ApiKeyLimitStatus status) =>
        status.RejectedBy == ApiKeyLimitKind.Quota ? status.QuotaReset : status.RateLimitReset;

    // The policy of one limit never changes, so it is formatted once per limit instance and kept beside it (no
    // mutable state on the public type); the table drops an entry when its limit is collected.
    private static readonly ConditionalWeakTable<ApiKeyRateLimit, string> RatePolicies = new();

    private static string RatePolicy(ApiKeyRateLimit rateLimit) =>
        RatePolicies.TryGetValue(rateLimit, out var policy) ? policy : RatePolicies.GetValue(rateLimit, static limit => string.Create(
            CultureInfo.InvariantCulture, $"\"{RatePolicyName}\";q={limit.Limit};w={(long)limit.Window.TotalSeconds}"));

    private static string QuotaPolicy(ApiKeyQuota quota, DateTimeOffset now) => string.Create(
        CultureInfo.InvariantCulture, $"\"{QuotaPolicyName}\";q={quota.Limit};w={(long)(quota.PeriodEnd(now) - quota.PeriodStart(now)).TotalSeconds}");

    private static string RateStatus(ApiKeyRateLimit rateLimit, in ApiKeyLimitStatus status) => string.Create(
        CultureInfo.InvariantCulture, $"\"{RatePolicyName}\";r={Math.Max(0, rateLimit.Limit - status.RateLimitUsed)};t={Math.Max(0, (long)Math.Ceiling(status.RateLimitReset.TotalSeconds))}");

    private static string QuotaStatus(ApiKeyQuota quota, in ApiKeyLimitStatus status) => string.Create(
        CultureInfo.InvariantCulture, $"\"{QuotaPolicyName}\";r={Math.Max(0, quota.Limit - status.QuotaUsed)};t={Math.Max(0, (long)Math.Ceiling(status.QuotaReset.TotalSeconds))}");
}

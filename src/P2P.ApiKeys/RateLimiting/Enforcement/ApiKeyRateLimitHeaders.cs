using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.RateLimiting.Enforcement;

/// <summary>
/// The <c>RateLimit-Policy</c> and <c>RateLimit</c> fields of draft-ietf-httpapi-ratelimit-headers-11 (Structured
/// Field lists, one item per policy: <c>"rate"</c> for the rate limit, <c>"quota"</c> for the quota), and
/// <c>Retry-After</c> on refusals.
/// </summary>
/// <remarks>
/// The values are kept beside the key's limit objects (which live as long as the key's cached record): the policy per
/// window or period, formatted once; the status for its last (remaining, seconds) pair, so answers that repeat it (every
/// refusal within a second, every request of a key without a rate limit within a second of its quota) allocate nothing.
/// An admitted request that changes what is left formats its one <c>RateLimit</c> string, nothing else.
/// </remarks>
internal static class ApiKeyRateLimitHeaders
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string StatusHeader = "RateLimit";
    public const string RatePolicyName = "rate";
    public const string QuotaPolicyName = "quota";
    public const string OwnerRatePolicyName = "owner_rate";
    public const string OwnerQuotaPolicyName = "owner_quota";

    /// <summary>The draft whose fields and problem type are written; docs/rate-limits.md names it too.</summary>
    public const string DraftVersion = "draft-ietf-httpapi-ratelimit-headers-11";

    private static readonly ConditionalWeakTable<object, Formatted> Cache = new();

    public static void Write(IHeaderDictionary headers, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, in ApiKeyLimitStatus status, DateTimeOffset now, bool ownerBudget = false)
    {
        object? owner = (object?)rateLimit ?? quota;
        if (owner is null)
        {
            return;
        }

        var formatted = Cache.TryGetValue(owner, out var found) ? found : Cache.GetValue(owner, static _ => new Formatted());
        long periodStartMs = 0, periodSeconds = 0;
        if (quota is not null)
        {
            var start = quota.PeriodStart(now);
            periodStartMs = start.ToUnixTimeMilliseconds();
            periodSeconds = (long)(quota.PeriodEnd(now) - start).TotalSeconds;
        }

        var policy = formatted.Policy;
        if (policy is null || !ReferenceEquals(policy.Quota, quota) || policy.PeriodStartMs != periodStartMs)
        {
            policy = new PolicyValue(quota, periodStartMs, FormatPolicy(rateLimit, quota, periodSeconds, ownerBudget));
            formatted.Policy = policy;
        }

        long rateLeft = 0, rateSeconds = 0, quotaLeft = 0, quotaSeconds = 0;
        if (rateLimit is not null)
        {
            rateLeft = Math.Max(0, rateLimit.Burst - status.RateLimitUsed);
            rateSeconds = Math.Max(0, (long)Math.Ceiling(status.RateLimitReset.TotalSeconds));
        }

        if (quota is not null)
        {
            quotaLeft = Math.Max(0, quota.Limit - status.QuotaUsed);
            quotaSeconds = Math.Max(0, (long)Math.Ceiling(status.QuotaReset.TotalSeconds));
        }

        var value = formatted.Status;
        if (value is null || !ReferenceEquals(value.Quota, quota) || value.RateLeft != rateLeft || value.RateSeconds != rateSeconds
            || value.QuotaLeft != quotaLeft || value.QuotaSeconds != quotaSeconds)
        {
            value = new StatusValue(quota, rateLeft, rateSeconds, quotaLeft, quotaSeconds,
                FormatStatus(rateLimit is not null, quota is not null, rateLeft, rateSeconds, quotaLeft, quotaSeconds, ownerBudget));
            formatted.Status = value;
        }

        headers[PolicyHeader] = policy.Text;
        headers[StatusHeader] = value.Text;
        if (!status.IsAllowed)
        {
            headers.RetryAfter = ApiKeyProblem.Seconds(RetryAfter(status)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Writes the fields for the tighter of the key's and the owner's budget: the one that refused, or, when admitted, the
    /// one with fewer units left (the owner's policies are named <c>owner_rate</c> and <c>owner_quota</c>).
    /// </summary>
    public static bool WriteTighter(
        IHeaderDictionary headers, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, ApiKeyOwnerLimits owner, in ApiKeyBudgetStatus status, DateTimeOffset now)
    {
        var useOwner = !status.Owner.IsAllowed
            || (status.Key.IsAllowed && Left(owner.RateLimit, owner.Quota, status.Owner) < Left(rateLimit, quota, status.Key));
        if (useOwner)
        {
            Write(headers, owner.RateLimit, owner.Quota, status.Owner, now, ownerBudget: true);
        }
        else
        {
            Write(headers, rateLimit, quota, status.Key, now);
        }

        return useOwner;
    }

    private static long Left(ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, in ApiKeyLimitStatus status) => Math.Min(
        rateLimit is null ? long.MaxValue : rateLimit.Burst - status.RateLimitUsed,
        quota is null ? long.MaxValue : quota.Limit - status.QuotaUsed);

    /// <summary>When the refused request may succeed: the end of the window or period that refused it.</summary>
    public static TimeSpan RetryAfter(in ApiKeyLimitStatus status) =>
        status.RejectedBy == ApiKeyLimitKind.Quota ? status.QuotaReset : status.RateLimitReset;

    private static string FormatPolicy(ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, long periodSeconds, bool ownerBudget)
    {
        var ratePolicy = ownerBudget ? OwnerRatePolicyName : ApiKeyRateLimitHeaders.RatePolicyName;
        var quotaPolicy = ownerBudget ? OwnerQuotaPolicyName : ApiKeyRateLimitHeaders.QuotaPolicyName;
        var rate = rateLimit is null ? null
            : rateLimit.Algorithm == ApiKeyRateLimitAlgorithm.Gcra
                ? string.Create(CultureInfo.InvariantCulture, $"\"{ratePolicy}\";q={rateLimit.Limit};w={(long)rateLimit.Window.TotalSeconds};p2p-burst={rateLimit.Burst}")
                : string.Create(CultureInfo.InvariantCulture, $"\"{ratePolicy}\";q={rateLimit.Limit};w={(long)rateLimit.Window.TotalSeconds}");
        var quotaText = quota is null ? null : string.Create(CultureInfo.InvariantCulture, $"\"{quotaPolicy}\";q={quota.Limit};w={periodSeconds}");
        return rate is not null && quotaText is not null ? rate + ", " + quotaText : rate ?? quotaText!;
    }

    private static string FormatStatus(bool rate, bool quota, long rateLeft, long rateSeconds, long quotaLeft, long quotaSeconds, bool ownerBudget)
    {
        var ratePolicy = ownerBudget ? OwnerRatePolicyName : ApiKeyRateLimitHeaders.RatePolicyName;
        var quotaPolicy = ownerBudget ? OwnerQuotaPolicyName : ApiKeyRateLimitHeaders.QuotaPolicyName;
        return rate && quota
            ? string.Create(CultureInfo.InvariantCulture, $"\"{ratePolicy}\";r={rateLeft};t={rateSeconds}, \"{quotaPolicy}\";r={quotaLeft};t={quotaSeconds}")
            : rate
                ? string.Create(CultureInfo.InvariantCulture, $"\"{ratePolicy}\";r={rateLeft};t={rateSeconds}")
                : string.Create(CultureInfo.InvariantCulture, $"\"{quotaPolicy}\";r={quotaLeft};t={quotaSeconds}");
    }

    /// <summary>The last values written for one limit object; each field is replaced whole (immutable values), never edited.</summary>
    private sealed class Formatted
    {
        public volatile PolicyValue? Policy;
        public volatile StatusValue? Status;
    }

    private sealed record PolicyValue(ApiKeyQuota? Quota, long PeriodStartMs, string Text);

    private sealed record StatusValue(ApiKeyQuota? Quota, long RateLeft, long RateSeconds, long QuotaLeft, long QuotaSeconds, string Text);
}

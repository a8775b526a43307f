using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// The limit fields of key requests as the manager takes them (judged by <see cref="ApiKeyRules"/>, the one place), and
/// key responses with the usage of the limits in force, read without counting anything.
/// </summary>
internal sealed class AdminKeyUsage(IApiKeyLimiter limiter, IOptionsMonitor<ApiKeyRateLimitOptions> limitOptions, TimeProvider clock)
{
    public static string PeriodName(ApiKeyQuotaPeriod period) => period switch
    {
        ApiKeyQuotaPeriod.Day => "day",
        ApiKeyQuotaPeriod.Week => "week",
        _ => "month",
    };

    /// <summary>Reads <c>rate_limit</c>; adds an error and returns <see langword="false"/> when it is invalid.</summary>
    public static bool TryRead(RateLimitSettings? contract, Dictionary<string, string[]> errors, out ApiKeyRateLimit? rateLimit)
    {
        rateLimit = null;
        return contract is null
            || ApiKeyRules.TryCreateRateLimit(contract.Limit, contract.WindowSeconds, contract.Algorithm, contract.Burst, errors, out rateLimit);
    }

    /// <summary>Reads <c>quota</c>; adds an error and returns <see langword="false"/> when it is invalid.</summary>
    public static bool TryRead(QuotaSettings? contract, Dictionary<string, string[]> errors, out ApiKeyQuota? quota)
    {
        quota = null;
        if (contract is null)
        {
            return true;
        }

        if (!contract.TryReadAnchor(out var day, out var weekday))
        {
            errors["quota"] = ["quota.anchor_day is a day of the month (1 to 28) for \"month\" or a weekday (\"monday\" to \"sunday\") for \"week\"."];
            return false;
        }

        return ApiKeyRules.TryCreateQuota(contract.Limit, contract.Period, day, weekday, errors, out quota);
    }

    /// <summary>The key's metadata with its usage of the limits in force now.</summary>
    public async Task<ApiKeyResponse> ToResponseAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ApiKeyResponse.From(key, now, await ReadAsync(key, now, cancellationToken).ConfigureAwait(false));
    }

    public async Task<List<ApiKeyResponse>> ToResponsesAsync(IReadOnlyList<ApiKeyRecord> keys, CancellationToken cancellationToken)
    {
        var responses = new List<ApiKeyResponse>(keys.Count);
        foreach (var key in keys)
        {
            responses.Add(await ToResponseAsync(key, cancellationToken).ConfigureAwait(false));
        }

        return responses;
    }

    private async Task<ApiKeyUsage?> ReadAsync(ApiKeyRecord key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = limitOptions.CurrentValue;
        var rateLimit = key.RateLimit ?? options.DefaultRateLimit;
        var quota = key.Quota ?? options.DefaultQuota;
        if (rateLimit is null && quota is null)
        {
            return null;
        }

        var status = await limiter.GetStatusAsync(key.LineageId, rateLimit, quota, cancellationToken).ConfigureAwait(false);
        return new ApiKeyUsage
        {
            RateLimit = rateLimit is null ? null : new LimitUsage
            {
                Limit = rateLimit.Limit,
                Used = status.RateLimitUsed,
                Remaining = Math.Max(0, rateLimit.Burst - status.RateLimitUsed),
                ResetsAt = now + status.RateLimitReset,
            },
            Quota = quota is null ? null : new LimitUsage
            {
                Limit = quota.Limit,
                Used = status.QuotaUsed,
                Remaining = Math.Max(0, quota.Limit - status.QuotaUsed),
                ResetsAt = quota.PeriodEnd(now),
            },
        };
    }
}

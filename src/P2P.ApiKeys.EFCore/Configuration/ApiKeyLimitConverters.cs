using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>
/// A key's rate limit as <c>{limit}/{window seconds}</c> (<c>100/60</c>; GCRA: <c>100/60/gcra/{burst}</c>) and its quota as <c>{limit}/{day|month}</c>
/// (<c>100000/month</c>, <c>100000/month@15</c>, <c>5000/week@3</c>): one short, readable text column each, the same on every provider. <see langword="null"/>
/// (no limit of its own) is a NULL column.
/// </summary>
internal static class ApiKeyLimitConverters
{
    /// <summary>Longest text either converter writes, with room to spare.</summary>
    public const int MaxColumnLength = 32;

    // EF Core never hands null to a converter: NULL stays NULL both ways.
    public static readonly ValueConverter<ApiKeyRateLimit?, string> RateLimit = new(
        limit => FormatRateLimit(limit!),
        text => ParseRateLimit(text));

    public static readonly ValueConverter<ApiKeyQuota?, string> Quota = new(
        quota => FormatQuota(quota!),
        text => ParseQuota(text));

    // A fixed window stays "100/60" (what existing rows hold); GCRA is "100/60/gcra/150" (limit, window, burst).
    private static string FormatRateLimit(ApiKeyRateLimit limit) => limit.Algorithm == ApiKeyRateLimitAlgorithm.Gcra
        ? string.Create(CultureInfo.InvariantCulture, $"{limit.Limit}/{(long)limit.Window.TotalSeconds}/gcra/{limit.Burst}")
        : string.Create(CultureInfo.InvariantCulture, $"{limit.Limit}/{(long)limit.Window.TotalSeconds}");

    private static ApiKeyRateLimit ParseRateLimit(string text)
    {
        var parts = text.Split('/');
        var limit = long.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        var window = TimeSpan.FromSeconds(long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture));
        return parts.Length == 4 && parts[2] == "gcra"
            ? new ApiKeyRateLimit(limit, window, ApiKeyRateLimitAlgorithm.Gcra, long.Parse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture))
            : new ApiKeyRateLimit(limit, window);
    }

    // "100000/day", "100000/week", "100000/month" (what existing rows hold); an anchor other than the natural one is
    // appended: "100000/month@15", "5000/week@3" (ISO weekday). ApiKeyQuota.ToString writes the same.
    private static string FormatQuota(ApiKeyQuota quota) => quota.ToString();

    private static ApiKeyQuota ParseQuota(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var rest = text.AsSpan(slash + 1);
        var at = rest.IndexOf('@');
        var anchor = at < 0 ? 1 : int.Parse(rest[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        var period = (at < 0 ? rest : rest[..at]) switch
        {
            "day" => ApiKeyQuotaPeriod.Day,
            "week" => ApiKeyQuotaPeriod.Week,
            "month" => ApiKeyQuotaPeriod.Month,
            _ => throw new FormatException("Unknown quota period."),
        };
        return new ApiKeyQuota(long.Parse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture), period, anchor);
    }
}

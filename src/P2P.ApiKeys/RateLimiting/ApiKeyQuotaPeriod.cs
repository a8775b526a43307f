namespace P2P.ApiKeys.RateLimiting;

/// <summary>The calendar period a quota counts over, in UTC.</summary>
public enum ApiKeyQuotaPeriod
{
    /// <summary>A UTC calendar day: from 00:00:00 UTC to the next midnight.</summary>
    Day = 0,

    /// <summary>
    /// A UTC calendar month: from the first of the month (or the quota's <see cref="ApiKeyQuota.AnchorDay"/>, 1–28),
    /// 00:00:00 UTC, to the same day of the next month.
    /// </summary>
    Month = 1,

    /// <summary>
    /// A UTC week: seven days from 00:00:00 UTC on the quota's weekday (<see cref="ApiKeyQuota.AnchorDay"/>, ISO 8601:
    /// 1 = Monday, the default, to 7 = Sunday).
    /// </summary>
    Week = 2,
}

namespace P2P.ApiKeys.RateLimiting;

/// <summary>The calendar period a quota counts over, in UTC.</summary>
public enum ApiKeyQuotaPeriod
{
    /// <summary>A UTC calendar day: from 00:00:00 UTC to the next midnight.</summary>
    Day = 0,

    /// <summary>A UTC calendar month: from the first of the month, 00:00:00 UTC, to the first of the next.</summary>
    Month = 1,
}

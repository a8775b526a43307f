namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// At most <see cref="Limit"/> requests (or request cost units) per UTC calendar <see cref="Period"/>: a day, a week
/// starting on a chosen weekday, or a month starting on a chosen day (so a customer's billing month can start on the 15th).
/// </summary>
public sealed class ApiKeyQuota : IEquatable<ApiKeyQuota>
{
    /// <summary>Largest quota accepted.</summary>
    public const long MaxLimit = 1_000_000_000_000;

    /// <summary>The latest day a monthly period may start on (every month has it).</summary>
    public const int MaxMonthAnchorDay = 28;

    /// <summary>Creates a quota whose periods start at the natural boundary: midnight, Monday, or the first of the month.</summary>
    /// <param name="limit">Requests allowed per period: 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="period">The calendar period.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ApiKeyQuota(long limit, ApiKeyQuotaPeriod period)
        : this(limit, period, 1)
    {
    }

    /// <summary>Creates a quota whose periods start on <paramref name="anchorDay"/>.</summary>
    /// <param name="limit">Requests allowed per period: 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="period">The calendar period.</param>
    /// <param name="anchorDay">
    /// Where a period starts: for <see cref="ApiKeyQuotaPeriod.Month"/> the day of the month (1 to
    /// <see cref="MaxMonthAnchorDay"/>), for <see cref="ApiKeyQuotaPeriod.Week"/> the ISO weekday (1 = Monday to 7 = Sunday),
    /// for <see cref="ApiKeyQuotaPeriod.Day"/> always 1.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ApiKeyQuota(long limit, ApiKeyQuotaPeriod period, int anchorDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        if (!Enum.IsDefined(period))
        {
            throw new ArgumentOutOfRangeException(nameof(period));
        }

        if (!IsValidAnchor(period, anchorDay))
        {
            throw new ArgumentOutOfRangeException(nameof(anchorDay), "A month starts on day 1 to 28, a week on ISO weekday 1 to 7, a day at midnight (1).");
        }

        Limit = limit;
        Period = period;
        AnchorDay = anchorDay;
    }

    /// <summary>Requests (cost units) allowed per period.</summary>
    public long Limit { get; }

    /// <summary>The UTC calendar period the quota counts over.</summary>
    public ApiKeyQuotaPeriod Period { get; }

    /// <summary>Where a period starts: day of the month (1–28), ISO weekday (1 = Monday – 7 = Sunday), or 1 for a day.</summary>
    public int AnchorDay { get; }

    /// <summary>Whether <paramref name="anchorDay"/> is a valid start for <paramref name="period"/>.</summary>
    public static bool IsValidAnchor(ApiKeyQuotaPeriod period, int anchorDay) => period switch
    {
        ApiKeyQuotaPeriod.Day => anchorDay == 1,
        ApiKeyQuotaPeriod.Week => anchorDay is >= 1 and <= 7,
        ApiKeyQuotaPeriod.Month => anchorDay is >= 1 and <= MaxMonthAnchorDay,
        _ => false,
    };

    /// <summary>The start of the period that holds <paramref name="now"/>.</summary>
    public DateTimeOffset PeriodStart(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var midnight = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        switch (Period)
        {
            case ApiKeyQuotaPeriod.Day:
                return midnight;
            case ApiKeyQuotaPeriod.Week:
                var isoWeekday = utc.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)utc.DayOfWeek;
                return midnight.AddDays(-((isoWeekday - AnchorDay + 7) % 7));
            default:
                var start = new DateTimeOffset(utc.Year, utc.Month, AnchorDay, 0, 0, 0, TimeSpan.Zero);
                return utc.Day >= AnchorDay ? start : start.AddMonths(-1);
        }
    }

    /// <summary>The start of the period after the one that holds <paramref name="now"/>: when the quota resets.</summary>
    public DateTimeOffset PeriodEnd(DateTimeOffset now)
    {
        var start = PeriodStart(now);
        return Period switch
        {
            ApiKeyQuotaPeriod.Day => start.AddDays(1),
            ApiKeyQuotaPeriod.Week => start.AddDays(7),
            _ => start.AddMonths(1),
        };
    }

    /// <inheritdoc/>
    public bool Equals(ApiKeyQuota? other) => other is not null && other.Limit == Limit && other.Period == Period && other.AnchorDay == AnchorDay;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ApiKeyQuota);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Limit, Period, AnchorDay);

    /// <inheritdoc/>
    public override string ToString() => Period switch
    {
        ApiKeyQuotaPeriod.Day => $"{Limit}/day",
        ApiKeyQuotaPeriod.Week => AnchorDay == 1 ? $"{Limit}/week" : $"{Limit}/week@{AnchorDay}",
        _ => AnchorDay == 1 ? $"{Limit}/month" : $"{Limit}/month@{AnchorDay}",
    };
}

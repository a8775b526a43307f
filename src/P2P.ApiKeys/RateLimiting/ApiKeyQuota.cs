namespace P2P.ApiKeys.RateLimiting;

/// <summary>At most <see cref="Limit"/> requests (or request cost units) per UTC calendar <see cref="Period"/>.</summary>
public sealed class ApiKeyQuota : IEquatable<ApiKeyQuota>
{
    /// <summary>Largest quota accepted.</summary>
    public const long MaxLimit = 1_000_000_000_000;

    /// <summary>Creates a quota.</summary>
    /// <param name="limit">Requests allowed per period: 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="period">The calendar period.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ApiKeyQuota(long limit, ApiKeyQuotaPeriod period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        if (!Enum.IsDefined(period))
        {
            throw new ArgumentOutOfRangeException(nameof(period));
        }

        Limit = limit;
        Period = period;
    }

    /// <summary>Requests (cost units) allowed per period.</summary>
    public long Limit { get; }

    /// <summary>The UTC calendar period the quota counts over.</summary>
    public ApiKeyQuotaPeriod Period { get; }

    /// <summary>The start of the period that holds <paramref name="now"/>.</summary>
    public DateTimeOffset PeriodStart(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return Period == ApiKeyQuotaPeriod.Day
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The start of the period after the one that holds <paramref name="now"/>: when the quota resets.</summary>
    public DateTimeOffset PeriodEnd(DateTimeOffset now)
    {
        var start = PeriodStart(now);
        return Period == ApiKeyQuotaPeriod.Day ? start.AddDays(1) : start.AddMonths(1);
    }

    /// <inheritdoc/>
    public bool Equals(ApiKeyQuota? other) => other is not null && other.Limit == Limit && other.Period == Period;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ApiKeyQuota);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Limit, Period);

    /// <inheritdoc/>
    public override string ToString() => $"{Limit}/{(Period == ApiKeyQuotaPeriod.Day ? "day" : "month")}";
}

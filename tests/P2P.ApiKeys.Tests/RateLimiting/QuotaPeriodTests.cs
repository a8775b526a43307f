using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>Quota periods in UTC: days, weeks from an ISO weekday, months from a day of the month.</summary>
public sealed class QuotaPeriodTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 2026, 12, 2, 2026, 11, 30)]  // Wednesday; weeks from Monday
    [InlineData(3, 2026, 12, 2, 2026, 12, 2)]   // from Wednesday: today
    [InlineData(4, 2026, 12, 2, 2026, 11, 26)]  // from Thursday: last week's
    [InlineData(7, 2026, 12, 6, 2026, 12, 6)]   // Sunday from Sunday
    [InlineData(1, 2027, 1, 3, 2026, 12, 28)]   // across a year
    public void Week_StartsOnItsWeekday(int anchor, int y, int m, int d, int sy, int sm, int sd)
    {
        var quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Week, anchor);
        var now = Utc(y, m, d, 13);

        Assert.Equal(Utc(sy, sm, sd), quota.PeriodStart(now));
        Assert.Equal(Utc(sy, sm, sd).AddDays(7), quota.PeriodEnd(now));
    }

    [Theory]
    [InlineData(15, 2026, 3, 14, 2026, 2, 15, 2026, 3, 15)]
    [InlineData(15, 2026, 3, 15, 2026, 3, 15, 2026, 4, 15)]
    [InlineData(28, 2026, 1, 5, 2025, 12, 28, 2026, 1, 28)]
    [InlineData(28, 2026, 2, 28, 2026, 2, 28, 2026, 3, 28)]
    [InlineData(1, 2026, 12, 31, 2026, 12, 1, 2027, 1, 1)]
    public void Month_StartsOnItsAnchorDay(int anchor, int y, int m, int d, int sy, int sm, int sd, int ey, int em, int ed)
    {
        var quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Month, anchor);
        var now = Utc(y, m, d, 23);

        Assert.Equal(Utc(sy, sm, sd), quota.PeriodStart(now));
        Assert.Equal(Utc(ey, em, ed), quota.PeriodEnd(now));
    }

    [Theory]
    [InlineData(ApiKeyQuotaPeriod.Month, 0)]
    [InlineData(ApiKeyQuotaPeriod.Month, 29)]
    [InlineData(ApiKeyQuotaPeriod.Week, 0)]
    [InlineData(ApiKeyQuotaPeriod.Week, 8)]
    [InlineData(ApiKeyQuotaPeriod.Day, 2)]
    public void Anchor_OutOfRange_Throws(ApiKeyQuotaPeriod period, int anchor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApiKeyQuota(10, period, anchor));
}

using P2P.ApiKeys.Cli.CommandLine;

namespace P2P.ApiKeys.Cli.Tests.CommandLine;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("2w", 1209600)]
    public void TryParse_Duration_Seconds(string text, long seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(seconds, (long)duration.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("1x")]
    [InlineData("-1h")]
    [InlineData("1 h")]
    [InlineData("999999999w")]
    public void TryParse_NotADuration_False(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void TryParseExpiry_DurationOrDate_AbsoluteUtcTime()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.True(Durations.TryParseExpiry("30d", now, out var inThirtyDays));
        Assert.Equal(now.AddDays(30), inThirtyDays);
        Assert.True(Durations.TryParseExpiry("2027-01-31", now, out var date));
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero), date);
        Assert.True(Durations.TryParseExpiry("2027-01-31T10:00:00+02:00", now, out var time));
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 8, 0, 0, TimeSpan.Zero), time);
        Assert.False(Durations.TryParseExpiry("5", now, out _));
        Assert.False(Durations.TryParseExpiry("0", now, out _));
        Assert.False(Durations.TryParseExpiry("soon", now, out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("45s")]
    [InlineData("1h")]
    [InlineData("1h30m")]
    [InlineData("7d")]
    [InlineData("1d2h3m4s")]
    public void Format_ParsedDuration_RoundTrips(string text)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(text, Durations.Format(duration));
    }
}

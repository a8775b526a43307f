using System.Globalization;
using System.Text.RegularExpressions;

namespace P2P.ApiKeys.Cli.CommandLine;

/// <summary>Durations as people type them (<c>90s</c>, <c>15m</c>, <c>1h</c>, <c>1h30m</c>, <c>30d</c>, <c>2w</c>, <c>0</c>) and expiries (a duration from now, or an ISO 8601 date or time).</summary>
internal static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        try
        {
            for (var i = 0; i < match.Groups["n"].Captures.Count; i++)
            {
                var n = long.Parse(match.Groups["n"].Captures[i].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                duration += match.Groups["u"].Captures[i].Value switch
                {
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    "d" => TimeSpan.FromDays(n),
                    _ => TimeSpan.FromDays(7 * n),
                };
            }
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            return false;
        }

        return true;
    }

    /// <summary>A duration the way <see cref="TryParse"/> reads it: <c>1h30m</c>, <c>7d</c>, <c>0</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0";
        }

        var text = new System.Text.StringBuilder();
        void Part(int value, char unit)
        {
            if (value > 0)
            {
                text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(duration.Days, 'd');
        Part(duration.Hours, 'h');
        Part(duration.Minutes, 'm');
        Part(duration.Seconds, 's');
        return text.ToString();
    }

    /// <summary>An expiry: a duration from <paramref name="now"/>, or an absolute date (midnight UTC) or date and time (UTC unless it names an offset).</summary>
    public static bool TryParseExpiry(string? text, DateTimeOffset now, out DateTimeOffset expiresAt)
    {
        if (TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            expiresAt = now + duration;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out expiresAt)
            && text!.Length >= 10; // a date at least: "5" is not an expiry
    }

    [GeneratedRegex(@"^(?:(?<n>[0-9]{1,9})(?<u>[smhdw]))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

using System.Globalization;

namespace P2P.Dashboard.Charts;

/// <summary>USD amounts as the finance team reads them, independent of the server's culture.</summary>
public static class Money
{
    public static string Format(decimal amount) =>
        (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Short form for axes and bar ends: $950, $12.3k, $1.2M.</summary>
    public static string Compact(decimal amount)
    {
        var abs = Math.Abs(amount);
        var sign = amount < 0 ? "-$" : "$";
        return abs switch
        {
            >= 1_000_000m => sign + (abs / 1_000_000m).ToString("0.#", CultureInfo.InvariantCulture) + "M",
            >= 1_000m => sign + (abs / 1_000m).ToString("0.#", CultureInfo.InvariantCulture) + "k",
            _ => sign + abs.ToString("0", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>"2026-03" → "Mar 2026" for a month axis ("Mar 26" would read as a date); anything else as it came.</summary>
    public static string MonthLabel(string month) =>
        TryParseMonth(month, out var d) ? d.ToString("MMM yyyy", CultureInfo.InvariantCulture) : month;

    /// <summary>"2026-03" → 1 March 2026.</summary>
    public static bool TryParseMonth(string month, out DateOnly first) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first);
}

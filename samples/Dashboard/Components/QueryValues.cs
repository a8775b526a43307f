using System.Globalization;

namespace P2P.Dashboard.Components;

/// <summary>
/// Turns the page's own query string into values the API accepts. Anything else is dropped here, so a
/// hand-edited URL shows the default list instead of a 400 from the API.
/// </summary>
public static class QueryValues
{
    public static readonly IReadOnlyList<int> PageSizes = [10, 20, 50, 100];

    public static string? OneOf(string? value, IReadOnlyList<string> allowed) =>
        value is not null && allowed.Contains(value, StringComparer.Ordinal) ? value : null;

    public static int? PositiveInt(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static bool? Bool(string? value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    public static int PageSize(string? value) =>
        PositiveInt(value) is { } n && PageSizes.Contains(n) ? n : 20;

    public static string? Order(string? value) => OneOf(value, ["asc", "desc"]);

    public static string DateText(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string DateCell(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "–";

    /// <summary>"AwaitingApproval" → "Awaiting approval".</summary>
    public static string Words(string status) =>
        string.Concat(status.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}

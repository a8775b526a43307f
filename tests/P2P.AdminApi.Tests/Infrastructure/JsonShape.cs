using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace P2P.AdminApi.Tests.Infrastructure;

/// <summary>Checks JSON against the field lists of docs/p2p-api.md.</summary>
public static partial class JsonShape
{
    public static void HasFields(JsonElement element, params string[] fields) =>
        Assert.Equal(fields, element.EnumerateObject().Select(p => p.Name).ToArray());

    public static void IsDate(JsonElement element) =>
        Assert.Matches(DatePattern(), element.GetString() ?? "");

    public static void IsNullableDate(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Null)
        {
            IsDate(element);
        }
    }

    /// <summary>A JSON number with at most two decimals (money).</summary>
    public static void IsMoney(JsonElement element)
    {
        Assert.Equal(JsonValueKind.Number, element.ValueKind);
        var raw = element.GetRawText();
        var dot = raw.IndexOf('.', StringComparison.Ordinal);
        Assert.True(dot < 0 || raw.Length - dot - 1 <= 2, $"{raw} has more than two decimals");
        Assert.True(decimal.Parse(raw, CultureInfo.InvariantCulture) >= 0);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DatePattern();
}

using System.Globalization;
using System.Net;

namespace P2P.Dashboard.Charts;

/// <summary>Encoding and number printing shared by the SVG chart builders.</summary>
public static class SvgText
{
    /// <summary>Labels come from API data (supplier names), so they are always encoded.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Coordinates with a dot decimal separator whatever the server culture.</summary>
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>The opening of an accessible chart: role img, labelled by its own title and description.</summary>
    public static string Open(string id, int width, int height, string title, string description, string cssClass) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {cssClass}\" viewBox=\"0 0 {width} {height}\" " +
        $"role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" preserveAspectRatio=\"xMidYMid meet\">" +
        $"<title id=\"{id}-title\">{Encode(title)}</title><desc id=\"{id}-desc\">{Encode(description)}</desc>";
}

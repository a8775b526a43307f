using System.Text;
using static P2P.Dashboard.Charts.SvgText;

namespace P2P.Dashboard.Charts;

/// <summary>Ranked values (spend by supplier) as horizontal bars with the label left and the value right.</summary>
public static class HorizontalBarChart
{
    private const int Width = 640;
    private const int RowHeight = 28;
    private const int LabelWidth = 190;
    private const int ValueWidth = 110;
    private const int Top = 8;

    public static string Render(string id, string title, string description, IReadOnlyList<ChartPoint> points)
    {
        var height = Top * 2 + Math.Max(1, points.Count) * RowHeight;
        var svg = new StringBuilder(Open(id, Width, height, title, description, "chart-hbar"));
        if (points.Count == 0)
        {
            svg.Append("<text class=\"empty\" x=\"").Append(Width / 2).Append("\" y=\"").Append(Top + 18)
                .Append("\" text-anchor=\"middle\">No data</text></svg>");
            return svg.ToString();
        }

        var max = (double)Math.Max(points.Max(p => p.Value), 0.01m);
        var barSpace = Width - LabelWidth - ValueWidth;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var y = Top + i * RowHeight;
            var w = Math.Max(1, (double)Math.Max(p.Value, 0) / max * barSpace);
            svg.Append("<g class=\"row\">")
                .Append("<text class=\"label\" x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(N(y + RowHeight / 2.0 + 4))
                .Append("\" text-anchor=\"end\">").Append(Encode(Truncate(p.Label, 26))).Append("</text>")
                .Append("<rect class=\"bar\" x=\"").Append(LabelWidth).Append("\" y=\"").Append(N(y + 4))
                .Append("\" width=\"").Append(N(w)).Append("\" height=\"").Append(RowHeight - 8).Append("\" rx=\"3\">")
                .Append("<title>").Append(Encode(p.Label)).Append(": ").Append(Encode(p.Display)).Append("</title></rect>")
                .Append("<text class=\"value\" x=\"").Append(N(LabelWidth + w + 6)).Append("\" y=\"").Append(N(y + RowHeight / 2.0 + 4))
                .Append("\">").Append(Encode(p.Display)).Append("</text>")
                .Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }
}

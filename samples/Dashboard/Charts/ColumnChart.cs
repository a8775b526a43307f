using System.Text;
using static P2P.Dashboard.Charts.SvgText;

namespace P2P.Dashboard.Charts;

/// <summary>A few ordered categories (invoice aging buckets) as vertical bars.</summary>
public static class ColumnChart
{
    private const int Width = 480;
    private const int Height = 260;
    private const int Left = 16;
    private const int Right = 16;
    private const int Top = 28;
    private const int Bottom = 36;

    public static string Render(string id, string title, string description, IReadOnlyList<ChartPoint> points)
    {
        var svg = new StringBuilder(Open(id, Width, Height, title, description, "chart-columns"));
        var baseline = Height - Bottom;
        svg.Append("<line class=\"axis\" x1=\"").Append(Left).Append("\" x2=\"").Append(Width - Right)
            .Append("\" y1=\"").Append(baseline).Append("\" y2=\"").Append(baseline).Append("\"/>");
        if (points.Count == 0)
        {
            svg.Append("<text class=\"empty\" x=\"").Append(Width / 2).Append("\" y=\"").Append(Height / 2)
                .Append("\" text-anchor=\"middle\">No data</text></svg>");
            return svg.ToString();
        }

        var max = (double)Math.Max(points.Max(p => p.Value), 0.01m);
        var slot = (Width - Left - Right) / (double)points.Count;
        var barWidth = slot * 0.6;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var h = Math.Max(1, (double)Math.Max(p.Value, 0) / max * (baseline - Top));
            var x = Left + i * slot + (slot - barWidth) / 2;
            var center = Left + i * slot + slot / 2;
            svg.Append("<g class=\"column\">")
                .Append("<rect class=\"bar\" x=\"").Append(N(x)).Append("\" y=\"").Append(N(baseline - h))
                .Append("\" width=\"").Append(N(barWidth)).Append("\" height=\"").Append(N(h)).Append("\" rx=\"3\">")
                .Append("<title>").Append(Encode(p.Label)).Append(": ").Append(Encode(p.Display)).Append("</title></rect>")
                .Append("<text class=\"value\" x=\"").Append(N(center)).Append("\" y=\"").Append(N(baseline - h - 6))
                .Append("\" text-anchor=\"middle\">").Append(Encode(p.OnChart ?? p.Display)).Append("</text>")
                .Append("<text class=\"label\" x=\"").Append(N(center)).Append("\" y=\"").Append(baseline + 20)
                .Append("\" text-anchor=\"middle\">").Append(Encode(p.Label)).Append("</text>")
                .Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }
}

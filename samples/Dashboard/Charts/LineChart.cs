using System.Text;
using static P2P.Dashboard.Charts.SvgText;

namespace P2P.Dashboard.Charts;

/// <summary>A time series (spend by month) as a line with a marker per point and a shaded area below.</summary>
public static class LineChart
{
    private const int Width = 960;
    private const int Height = 260;
    private const int Left = 64;
    private const int Right = 32;
    private const int Top = 16;
    private const int Bottom = 36;

    public static string Render(
        string id, string title, string description, IReadOnlyList<ChartPoint> points, Func<decimal, string> axisLabel)
    {
        var svg = new StringBuilder(Open(id, Width, Height, title, description, "chart-line"));
        var baseline = Height - Bottom;
        var plotHeight = baseline - Top;
        var max = points.Count == 0 ? 1m : Math.Max(points.Max(p => p.Value), 0.01m);

        // Three horizontal grid lines with their value, so the chart reads without hovering.
        for (var g = 0; g <= 2; g++)
        {
            var y = baseline - plotHeight * g / 2.0;
            svg.Append("<line class=\"grid\" x1=\"").Append(Left).Append("\" x2=\"").Append(Width - Right)
                .Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y)).Append("\"/>")
                .Append("<text class=\"axis-label\" x=\"").Append(Left - 8).Append("\" y=\"").Append(N(y + 4))
                .Append("\" text-anchor=\"end\">").Append(Encode(axisLabel(max * g / 2))).Append("</text>");
        }

        if (points.Count == 0)
        {
            svg.Append("<text class=\"empty\" x=\"").Append(Width / 2).Append("\" y=\"").Append(Height / 2)
                .Append("\" text-anchor=\"middle\">No data</text></svg>");
            return svg.ToString();
        }

        var step = points.Count == 1 ? 0 : (Width - Left - Right) / (double)(points.Count - 1);
        var xy = points
            .Select((p, i) => (X: Left + i * step, Y: baseline - (double)Math.Max(p.Value, 0) / (double)max * plotHeight, Point: p))
            .ToList();
        var line = string.Join(' ', xy.Select(c => $"{N(c.X)},{N(c.Y)}"));

        svg.Append("<polygon class=\"area\" points=\"").Append(N(xy[0].X)).Append(',').Append(baseline).Append(' ')
            .Append(line).Append(' ').Append(N(xy[^1].X)).Append(',').Append(baseline).Append("\"/>")
            .Append("<polyline class=\"line\" fill=\"none\" points=\"").Append(line).Append("\"/>");
        foreach (var (x, y, p) in xy)
        {
            svg.Append("<circle class=\"point\" cx=\"").Append(N(x)).Append("\" cy=\"").Append(N(y)).Append("\" r=\"4\">")
                .Append("<title>").Append(Encode(p.Label)).Append(": ").Append(Encode(p.Display)).Append("</title></circle>")
                .Append("<text class=\"label\" x=\"").Append(N(x)).Append("\" y=\"").Append(baseline + 20)
                .Append("\" text-anchor=\"middle\">").Append(Encode(p.Label)).Append("</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}

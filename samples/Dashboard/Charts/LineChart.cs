using System.Text;
using static P2P.Dashboard.Charts.SvgText;

namespace P2P.Dashboard.Charts;

/// <summary>
/// A time series (spend by month) as a line with a marker per point and a shaded area below, on round Y ticks. The
/// last point may be marked partial ("month to date"): drawn dashed and hollow, so a month in progress does not read
/// as a drop.
/// </summary>
public static class LineChart
{
    private const int Width = 960;
    private const int Height = 260;
    private const int Left = 64;
    private const int Right = 32;
    private const int Top = 16;
    private const int Bottom = 52;
    private const int Intervals = 4;

    public static string Render(
        string id, string title, string description, IReadOnlyList<ChartPoint> points, Func<decimal, string> axisLabel,
        string? lastPointNote = null)
    {
        var svg = new StringBuilder(Open(id, Width, Height, title, description, "chart-line"));
        var baseline = Height - Bottom;
        var plotHeight = baseline - Top;
        var step = AxisScale.NiceStep(points.Count == 0 ? 0m : points.Max(p => p.Value), Intervals);
        var max = step * Intervals;

        // Horizontal grid lines at round values, with their value, so the chart reads without hovering.
        for (var g = 0; g <= Intervals; g++)
        {
            var y = baseline - plotHeight * g / (double)Intervals;
            svg.Append("<line class=\"grid\" x1=\"").Append(Left).Append("\" x2=\"").Append(Width - Right)
                .Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y)).Append("\"/>")
                .Append("<text class=\"axis-label\" x=\"").Append(Left - 8).Append("\" y=\"").Append(N(y + 4))
                .Append("\" text-anchor=\"end\">").Append(Encode(axisLabel(step * g))).Append("</text>");
        }

        if (points.Count == 0)
        {
            svg.Append("<text class=\"empty\" x=\"").Append(Width / 2).Append("\" y=\"").Append(Height / 2)
                .Append("\" text-anchor=\"middle\">No data</text></svg>");
            return svg.ToString();
        }

        var dx = points.Count == 1 ? 0 : (Width - Left - Right) / (double)(points.Count - 1);
        var xy = points
            .Select((p, i) => (X: Left + i * dx, Y: baseline - (double)Math.Max(p.Value, 0) / (double)max * plotHeight, Point: p))
            .ToList();
        var partial = lastPointNote is not null && xy.Count > 1;
        var solid = partial ? xy[..^1] : xy;
        var line = string.Join(' ', solid.Select(c => $"{N(c.X)},{N(c.Y)}"));

        svg.Append("<polygon class=\"area\" points=\"").Append(N(xy[0].X)).Append(',').Append(baseline).Append(' ')
            .Append(string.Join(' ', xy.Select(c => $"{N(c.X)},{N(c.Y)}"))).Append(' ').Append(N(xy[^1].X)).Append(',').Append(baseline).Append("\"/>")
            .Append("<polyline class=\"line\" fill=\"none\" points=\"").Append(line).Append("\"/>");
        if (partial)
        {
            svg.Append("<line class=\"line line-partial\" stroke-dasharray=\"6 4\" x1=\"").Append(N(xy[^2].X)).Append("\" y1=\"").Append(N(xy[^2].Y))
                .Append("\" x2=\"").Append(N(xy[^1].X)).Append("\" y2=\"").Append(N(xy[^1].Y)).Append("\"/>");
        }

        for (var i = 0; i < xy.Count; i++)
        {
            var (x, y, p) = xy[i];
            var isPartial = partial && i == xy.Count - 1;
            svg.Append("<circle class=\"").Append(isPartial ? "point point-partial" : "point").Append("\" cx=\"").Append(N(x)).Append("\" cy=\"").Append(N(y)).Append("\" r=\"4\">")
                .Append("<title>").Append(Encode(p.Label)).Append(isPartial ? " (" + Encode(lastPointNote!) + ")" : "").Append(": ").Append(Encode(p.Display)).Append("</title></circle>")
                .Append("<text class=\"label\" x=\"").Append(N(x)).Append("\" y=\"").Append(baseline + 20)
                .Append("\" text-anchor=\"middle\">").Append(Encode(p.Label)).Append("</text>");
            if (isPartial)
            {
                svg.Append("<text class=\"label label-note\" x=\"").Append(N(x)).Append("\" y=\"").Append(baseline + 38)
                    .Append("\" text-anchor=\"end\">").Append(Encode(lastPointNote!)).Append("</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }
}

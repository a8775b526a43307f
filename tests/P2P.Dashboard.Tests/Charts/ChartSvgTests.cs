using System.Xml.Linq;
using P2P.Dashboard.Charts;

namespace P2P.Dashboard.Tests.Charts;

public sealed class ChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly ChartPoint[] Points =
    [
        new("Acme <Office> & Co", 300m, "$300.00"),
        new("Globex", 150m, "$150.00"),
        new("Initech", 0m, "$0.00"),
    ];

    [Fact]
    public void HorizontalBarChart_Points_OneBarPerPointScaledToLargest()
    {
        var svg = XElement.Parse(HorizontalBarChart.Render("c1", "Spend", "Spend by supplier", Points));

        var bars = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(3, bars.Count);
        var widths = bars.Select(b => double.Parse((string)b.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(widths[0] / 2, widths[1], precision: 1);
        Assert.True(widths[2] >= 1, "a zero value still shows a hairline");
    }

    [Fact]
    public void HorizontalBarChart_LabelWithMarkup_IsEncoded()
    {
        var markup = HorizontalBarChart.Render("c1", "Spend", "desc", Points);

        Assert.DoesNotContain("<Office>", markup, StringComparison.Ordinal);
        Assert.Contains("Acme &lt;Office&gt; &amp; Co", markup, StringComparison.Ordinal);
        Assert.NotNull(XElement.Parse(markup)); // well-formed
    }

    [Theory]
    [InlineData("hbar")]
    [InlineData("line")]
    [InlineData("columns")]
    public void Render_AnyChart_IsAccessibleImageWithTitleAndDescription(string kind)
    {
        var svg = XElement.Parse(Render(kind, Points));

        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("x-title x-desc", (string?)svg.Attribute("aria-labelledby"));
        Assert.Equal("Title", svg.Element(Svg + "title")?.Value);
        Assert.Equal("Description", svg.Element(Svg + "desc")?.Value);
    }

    [Theory]
    [InlineData("hbar")]
    [InlineData("line")]
    [InlineData("columns")]
    public void Render_NoPoints_SaysNoData(string kind)
    {
        var svg = XElement.Parse(Render(kind, []));

        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "No data");
    }

    [Fact]
    public void LineChart_TwelveMonths_OnePointEachAndALine()
    {
        var months = Enumerable.Range(1, 12).Select(m => new ChartPoint($"M{m}", m * 10m, $"${m * 10}")).ToList();

        var svg = XElement.Parse(LineChart.Render("l", "t", "d", months, Money.Compact));

        Assert.Equal(12, svg.Descendants(Svg + "circle").Count(c => (string?)c.Attribute("class") == "point"));
        var line = svg.Descendants(Svg + "polyline").Single();
        Assert.Equal(12, ((string)line.Attribute("points")!).Split(' ').Length);
    }

    [Fact]
    public void LineChart_HigherValue_IsDrawnHigher()
    {
        var svg = XElement.Parse(LineChart.Render("l", "t", "d", [new("a", 10m, "10"), new("b", 20m, "20")], Money.Compact));

        var ys = svg.Descendants(Svg + "circle").Select(c => double.Parse((string)c.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(ys[1] < ys[0], "SVG y grows downwards, so the larger value has the smaller y");
    }

    [Fact]
    public void ColumnChart_FiveBuckets_FiveBarsWithTooltips()
    {
        var buckets = new[] { "Current", "1-30", "31-60", "61-90", "90+" }.Select((b, i) => new ChartPoint(b, i + 1, $"{i + 1}")).ToList();

        var svg = XElement.Parse(ColumnChart.Render("a", "Aging", "d", buckets));

        var bars = svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
        Assert.Equal(5, bars.Count);
        Assert.Equal("90+: 5", bars[4].Element(Svg + "title")?.Value);
    }

    [Theory]
    [InlineData(1234567.89, "$1,234,567.89")]
    [InlineData(0, "$0.00")]
    [InlineData(-12.5, "-$12.50")]
    public void MoneyFormat_Amount_UsdWithTwoDecimals(decimal amount, string expected) =>
        Assert.Equal(expected, Money.Format(amount));

    [Theory]
    [InlineData(950, "$950")]
    [InlineData(12345, "$12.3k")]
    [InlineData(1250000, "$1.3M")]
    public void MoneyCompact_Amount_ShortForm(decimal amount, string expected) =>
        Assert.Equal(expected, Money.Compact(amount));

    [Theory]
    [InlineData(93412.57, 4, 25000)]
    [InlineData(186825.14, 4, 50000)]
    [InlineData(1000, 4, 250)]
    [InlineData(0.5, 4, 0.2)]
    [InlineData(0, 4, 1)]
    public void AxisScaleNiceStep_Maximum_RoundStepWhoseTopHoldsIt(decimal max, int intervals, decimal expected)
    {
        var step = AxisScale.NiceStep(max, intervals);

        Assert.Equal(expected, step);
        Assert.True(step * intervals >= max);
    }

    [Fact]
    public void LineChart_AxisLabels_AreRoundValuesFromZero()
    {
        var svg = XElement.Parse(LineChart.Render("l", "t", "d", [new("a", 93412.57m, "x"), new("b", 41000m, "y")], Money.Compact));

        var ticks = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "axis-label").Select(t => t.Value);
        Assert.Equal(["$0", "$25k", "$50k", "$75k", "$100k"], ticks);
    }

    [Fact]
    public void LineChart_LastPointNote_DrawsTheMonthInProgressDashedAndSaysSo()
    {
        var svg = XElement.Parse(LineChart.Render("l", "t", "d", [new("Oct 2026", 10m, "$10"), new("Nov 2026", 2m, "$2")], Money.Compact, "month to date"));

        Assert.Single(svg.Descendants(Svg + "line"), l => ((string?)l.Attribute("class"))?.Contains("line-partial", StringComparison.Ordinal) == true);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "month to date");
        Assert.Equal("Nov 2026 (month to date): $2", svg.Descendants(Svg + "circle").Last().Element(Svg + "title")?.Value);
    }

    [Theory]
    [InlineData("2025-12", "Dec 2025")]
    [InlineData("2026-03", "Mar 2026")]
    [InlineData("not a month", "not a month")]
    public void MoneyMonthLabel_Month_MonthAndFullYear(string month, string expected) =>
        Assert.Equal(expected, Money.MonthLabel(month));

    [Fact]
    public void ColumnChart_OnChartLabel_OnTheBarExactAmountInTheTooltip()
    {
        var svg = XElement.Parse(ColumnChart.Render("a", "Aging", "d", [new ChartPoint("1-30", 2345.67m, "$2,345.67 (3 invoices)", "$2.3k (3)")]));

        Assert.Equal("$2.3k (3)", svg.Descendants(Svg + "text").First(t => (string?)t.Attribute("class") == "value").Value);
        Assert.Equal("1-30: $2,345.67 (3 invoices)", svg.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("class") == "bar").Element(Svg + "title")?.Value);
    }

    private static string Render(string kind, IReadOnlyList<ChartPoint> points) => kind switch
    {
        "hbar" => HorizontalBarChart.Render("x", "Title", "Description", points),
        "line" => LineChart.Render("x", "Title", "Description", points, Money.Compact),
        _ => ColumnChart.Render("x", "Title", "Description", points),
    };
}

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

    private static string Render(string kind, IReadOnlyList<ChartPoint> points) => kind switch
    {
        "hbar" => HorizontalBarChart.Render("x", "Title", "Description", points),
        "line" => LineChart.Render("x", "Title", "Description", points, Money.Compact),
        _ => ColumnChart.Render("x", "Title", "Description", points),
    };
}

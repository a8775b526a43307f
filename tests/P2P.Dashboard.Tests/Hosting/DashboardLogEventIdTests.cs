using P2P.Dashboard.Diagnostics;
using P2P.Tests.Shared;

namespace P2P.Dashboard.Tests.Hosting;

/// <summary>
/// The dashboard's log events have ids of their own in the samples' range (docs/observability.md, "Log event ids"),
/// apart from every library event (P2P.AdminApi.Tests checks the packages).
/// </summary>
public sealed class DashboardLogEventIdTests
{
    [Fact]
    public void LoggerMessages_OfTheDashboard_UniqueAndInTheSamplesRange()
    {
        var events = LogEventIds.Declared(typeof(DashboardLog).Assembly);

        Assert.NotEmpty(events);
        Assert.Empty(LogEventIds.Problems(events));
        Assert.All(events, e => Assert.InRange(e.Id, 9000, 9999));
    }
}

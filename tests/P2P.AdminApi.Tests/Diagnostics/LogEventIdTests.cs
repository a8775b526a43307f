using System.Reflection;
using System.Text.RegularExpressions;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.Tests.Shared;

namespace P2P.AdminApi.Tests.Diagnostics;

/// <summary>
/// Every log event of the shipped packages (and of this sample) has an id of its own, inside its area's documented range
/// (docs/observability.md, "Log event ids"), so an operator's filter or alert on an id means one thing. The dashboard's
/// events are checked in P2P.Dashboard.Tests (the two samples' <c>Program</c> types cannot share a test assembly).
/// </summary>
public sealed partial class LogEventIdTests
{
    private static readonly string[] Shipped =
        ["P2P.ApiKeys", "P2P.ApiKeys.EFCore", "P2P.ApiKeys.OpenApi", "P2P.ApiKeys.PostgreSql", "P2P.ApiKeys.Redis"];

    private static IReadOnlyList<LogEventIds.Event> AllEvents() =>
        [.. Shipped.Select(Assembly.Load).Append(typeof(Program).Assembly).SelectMany(LogEventIds.Declared)];

    [Fact]
    public void LoggerMessages_InShippedAssembliesAndSample_UniqueAndInTheirAreasRange()
    {
        var events = AllEvents();

        Assert.True(events.Count >= 50, $"only {events.Count} [LoggerMessage] methods found; is the reflection still finding them?");
        Assert.Empty(LogEventIds.Problems(events));
    }

    /// <summary>What a client can repeat at will is Debug (and counted in a metric), whatever the host's log filters.</summary>
    [Theory]
    [InlineData("ApiKeyMissing")]
    [InlineData("ApiKeyMalformed")]
    [InlineData("ApiKeyUnknown")]
    [InlineData("ApiKeyInvalidSecret")]
    [InlineData("ApiKeyRevoked")]
    [InlineData("ApiKeyExpired")]
    [InlineData("ApiKeyDisabled")]
    [InlineData("ApiKeyForbidden")]
    [InlineData("ApiKeyRateLimited")]
    [InlineData("AdminTokenRejected")]
    [InlineData("LoginThrottled")]
    [InlineData("SecretScanningRequestRefused")]
    public void Refusal_PerRequest_IsDebug(string eventName) =>
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, AllEvents().Single(e => e.Name == eventName).Level);

    [Fact]
    public void Problems_DuplicateOrOutOfRangeId_AreReported()
    {
        var events = AllEvents();
        var created = events.Single(e => e.Name == "ApiKeyCreated");
        var limited = events.Single(e => e.Name == "ApiKeyRateLimited");

        // What main had before: the rate limiter's refusal numbered like key creation.
        var problems = LogEventIds.Problems([created, limited with { Id = created.Id }]);

        Assert.Contains(problems, p => p.StartsWith($"event id {created.Id} is used 2 times", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ApiKeyRateLimited", StringComparison.Ordinal) && p.Contains("outside 1300–1399", StringComparison.Ordinal));
    }

    [Fact]
    public void Areas_EachIsARowOfTheDocumentedTable()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "observability.md"));
        var section = doc[doc.IndexOf("## Log event ids", StringComparison.Ordinal)..];
        var documented = RangeRow().Matches(section).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();

        Assert.All(LogEventIds.Areas, a => Assert.Contains((a.From, a.To), documented));
    }

    [GeneratedRegex(@"^\| (\d{4})–(\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex RangeRow();
}

using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.EFCore.ChangeNotifications;

/// <summary>
/// Log lines of the polling notifier; EventIds are stable (5300-5399, P2P.ApiKeys.EFCore). The library's own lines (1100-1199) cover
/// publish failures, received changes, outages and cache clears.
/// </summary>
internal static partial class PollingLog
{
    [LoggerMessage(5301, LogLevel.Information, "Polling the API-key change feed every {Milliseconds} ms.", EventName = "PollingStarted")]
    public static partial void Started(ILogger logger, double milliseconds);

    [LoggerMessage(5302, LogLevel.Debug, "Could not read the API-key change feed; trying again at the next poll.", EventName = "PollFailed")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(5303, LogLevel.Debug, "Pruned {Count} rows older than {Cutoff} from the API-key change feed.", EventName = "ChangeFeedPruned")]
    public static partial void Pruned(ILogger logger, int count, DateTimeOffset cutoff);
}

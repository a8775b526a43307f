using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Usage;

/// <summary>Log lines of the usage bookkeeping; event ids 1400–1499; counts only, never a key.</summary>
internal static partial class ApiKeyUsageLog
{
    [LoggerMessage(1400, LogLevel.Debug, "Recorded last-used times of {Count} API keys.", EventName = "ApiKeyUsageFlushed")]
    public static partial void UsageFlushed(ILogger logger, int count);

    [LoggerMessage(1401, LogLevel.Warning, "Could not record last-used times of {Count} API keys; they are kept for the next flush.", EventName = "ApiKeyUsageFlushFailed")]
    public static partial void UsageFlushFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(1410, LogLevel.Debug, "Added the usage of {Count} key-hours to the usage history.", EventName = "ApiKeyUsageHistoryFlushed")]
    public static partial void HistoryFlushed(ILogger logger, int count);

    [LoggerMessage(1411, LogLevel.Warning, "Could not add the usage of {Count} key-hours to the usage history; the counts are kept for the next flush.", EventName = "ApiKeyUsageHistoryFlushFailed")]
    public static partial void HistoryFlushFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(1412, LogLevel.Warning,
        "API key {LookupId} ({KeyId}) is still used ({Reason}): some of its clients have not switched to its replacement or stopped using it.",
        EventName = "api_key.rotation_stalled")]
    public static partial void RotationStalled(ILogger logger, string lookupId, Guid keyId, string reason);

    [LoggerMessage(1413, LogLevel.Debug, "Could not check {Count} API keys for stalled rotations.", EventName = "ApiKeyRotationWatchFailed")]
    public static partial void RotationWatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(1414, LogLevel.Information, "Pruned {Hours} hourly and {Days} daily usage buckets past their retention.", EventName = "ApiKeyUsageHistoryPruned")]
    public static partial void HistoryPruned(ILogger logger, int hours, int days);

    [LoggerMessage(1415, LogLevel.Warning, "Could not prune the usage history; the next run tries again.", EventName = "ApiKeyUsageHistoryPruneFailed")]
    public static partial void HistoryPruneFailed(ILogger logger, Exception exception);
}

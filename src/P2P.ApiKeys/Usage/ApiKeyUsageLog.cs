using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Usage;

/// <summary>Log lines of the usage bookkeeping; event ids 1400–1499; counts only, never a key.</summary>
internal static partial class ApiKeyUsageLog
{
    [LoggerMessage(1400, LogLevel.Debug, "Recorded last-used times of {Count} API keys.", EventName = "ApiKeyUsageFlushed")]
    public static partial void UsageFlushed(ILogger logger, int count);

    [LoggerMessage(1401, LogLevel.Warning, "Could not record last-used times of {Count} API keys; they are kept for the next flush.", EventName = "ApiKeyUsageFlushFailed")]
    public static partial void UsageFlushFailed(ILogger logger, int count, Exception exception);
}

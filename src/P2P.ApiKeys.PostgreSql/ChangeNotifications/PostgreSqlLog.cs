using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.PostgreSql;

/// <summary>
/// Log lines of the PostgreSQL notifier; EventIds are stable (5000-5099). The library's own lines (1100-1199)
/// cover publish failures, received changes and cache clears. The exception is logged there, once.
/// </summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(5001, LogLevel.Information, "Listening for API-key changes on PostgreSQL channel {Channel}.", EventName = "PostgreSqlListening")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(5002, LogLevel.Warning,
        "The PostgreSQL listener on channel {Channel} failed (was listening: {WasListening}); connecting again in {Seconds} s. Other nodes' changes reach this node within CacheTtl meanwhile.",
        EventName = "PostgreSqlListenFailed")]
    public static partial void ListenFailed(ILogger logger, string channel, bool wasListening, double seconds);

    [LoggerMessage(5003, LogLevel.Debug, "Still cannot listen on PostgreSQL channel {Channel}; trying again.", EventName = "PostgreSqlReconnectFailed")]
    public static partial void ReconnectFailed(ILogger logger, string channel, Exception exception);
}

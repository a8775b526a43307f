using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>
/// Log lines of the change notifications between nodes. EventIds are stable (1100-1199); messages carry the
/// public lookup id at most, never a key or a payload that is not a lookup id.
/// </summary>
internal static partial class ChangeNotificationLog
{
    [LoggerMessage(1100, LogLevel.Warning,
        "Could not publish the change of API key {LookupId} with the {Notifier} notifier; it is in effect on this node, other nodes see it within CacheTtl.",
        EventName = "ApiKeyChangePublishFailed")]
    public static partial void PublishFailed(ILogger logger, string notifier, string lookupId, Exception exception);

    [LoggerMessage(1101, LogLevel.Debug, "The {Notifier} notifier reported a change of API key {LookupId}; evicted.", EventName = "ApiKeyChangeReceived")]
    public static partial void ChangeReceived(ILogger logger, string notifier, string lookupId);

    [LoggerMessage(1102, LogLevel.Warning, "The {Notifier} notifier delivered a payload that is not a lookup id; ignored.", EventName = "ApiKeyChangeMalformed")]
    public static partial void MalformedChangeIgnored(ILogger logger, string notifier);

    [LoggerMessage(1103, LogLevel.Information,
        "The {Notifier} notifier is listening for API-key changes; the verification cache was cleared since changes may have been missed.",
        EventName = "ApiKeyChangeNotifierConnected")]
    public static partial void Connected(ILogger logger, string notifier);

    [LoggerMessage(1104, LogLevel.Warning,
        "The {Notifier} notifier lost its connection; until it reconnects, other nodes' changes reach this node within CacheTtl.",
        EventName = "ApiKeyChangeNotifierDisconnected")]
    public static partial void Disconnected(ILogger logger, string notifier, Exception? exception);
}

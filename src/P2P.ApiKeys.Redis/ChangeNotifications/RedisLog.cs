using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Redis;

/// <summary>
/// Log lines of the Redis notifier; EventIds are stable (5100-5199). The library's own lines (1100-1199) cover
/// publish failures, received changes, lost connections and cache clears.
/// </summary>
internal static partial class RedisLog
{
    [LoggerMessage(5101, LogLevel.Information, "Subscribed to API-key changes on Redis channel {Channel}.", EventName = "RedisSubscribed")]
    public static partial void Subscribed(ILogger logger, string channel);

    [LoggerMessage(5102, LogLevel.Warning,
        "Could not subscribe to Redis channel {Channel}; trying again in {Milliseconds} ms. Other nodes' changes reach this node within CacheTtl meanwhile.",
        EventName = "RedisSubscribeFailed")]
    public static partial void SubscribeFailed(ILogger logger, string channel, double milliseconds, Exception exception);
}

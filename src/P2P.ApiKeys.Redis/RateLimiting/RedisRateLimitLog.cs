using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Redis;

/// <summary>Log lines of the Redis rate limiter; EventIds are stable (5200-5219).</summary>
internal static partial class RedisRateLimitLog
{
    [LoggerMessage(5200, LogLevel.Warning,
        "Redis is unreachable for rate limits; this node limits with its local limiter until Redis answers again.",
        EventName = "RedisRateLimitFallback")]
    public static partial void FellBack(ILogger logger, Exception? exception);

    [LoggerMessage(5201, LogLevel.Information, "Redis answers again; rate limits are shared by every node again.", EventName = "RedisRateLimitRestored")]
    public static partial void Restored(ILogger logger);
}

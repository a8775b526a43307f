namespace P2P.ApiKeys.Redis;

/// <summary>Settings of the Redis rate limiter shared by every node.</summary>
public sealed class RedisRateLimitOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "p2p:limits:";

    /// <summary>
    /// A StackExchange.Redis configuration string (for example <c>redis1:6379,password=...</c>); the limiter then
    /// opens and owns its own connection.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>: the <c>IConnectionMultiplexer</c> registered in the service collection is
    /// used, so that one connection serves every Redis part of the host.
    /// </remarks>
    public string? Configuration { get; set; }

    /// <summary>
    /// Prefix of the Redis keys that hold the counters (one hash per API key, named by the key's record id). Every
    /// node of one deployment uses the same Redis and prefix.
    /// </summary>
    /// <remarks>Defaults to <c>p2p:limits:</c>.</remarks>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How long a request waits for a Redis decision before this node decides with its local limiter. Bounds the
    /// latency a slow or unreachable Redis adds to a request.
    /// </summary>
    /// <remarks>Defaults to 250 milliseconds.</remarks>
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}

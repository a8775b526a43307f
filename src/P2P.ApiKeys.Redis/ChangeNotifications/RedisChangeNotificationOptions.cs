namespace P2P.ApiKeys.Redis;

/// <summary>Settings of the Redis pub/sub change notifier.</summary>
public sealed class RedisChangeNotificationOptions
{
    /// <summary>The default <see cref="Channel"/>.</summary>
    public const string DefaultChannel = "p2p:api-key-changes";

    /// <summary>
    /// A StackExchange.Redis configuration string (for example <c>redis1:6379,password=...</c>); the notifier then
    /// opens and owns its own connection.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>: the <c>IConnectionMultiplexer</c> registered in the service collection is
    /// used, so that one connection serves every Redis part of the host.
    /// </remarks>
    public string? Configuration { get; set; }

    /// <summary>
    /// The pub/sub channel. Every node of one deployment uses the same Redis and channel; two deployments on one
    /// Redis use two channels.
    /// </summary>
    /// <remarks>Defaults to <c>p2p:api-key-changes</c>.</remarks>
    public string Channel { get; set; } = DefaultChannel;

    /// <summary>
    /// How often the notifier retries subscribing, and checks that its subscription works again, while Redis is
    /// unreachable.
    /// </summary>
    /// <remarks>
    /// Defaults to 500 milliseconds. Until the subscription works again this node relies on
    /// <see cref="ApiKeyOptions.CacheTtl"/>; when it does, it clears its cache.
    /// </remarks>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often the notifier pings Redis on its subscription connection while no change arrives; each answer is a
    /// heartbeat for the notifier health check (<c>AddApiKeyHealthChecks</c>).
    /// </summary>
    /// <remarks>Defaults to 15 seconds.</remarks>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}

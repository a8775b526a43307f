namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>
/// What the listening side of a change notifier calls on each node: a change published by another node, and the
/// state of its connection. Implemented by the library, which evicts, clears, logs and counts; a notifier only
/// moves messages.
/// </summary>
public interface IApiKeyChangeReceiver
{
    /// <summary>
    /// A change of the key with <paramref name="lookupId"/> arrived: its cached verification is dropped. A payload
    /// that is not a well-formed lookup id is ignored.
    /// </summary>
    /// <param name="notifier">The notifier's <see cref="IApiKeyChangePublisher.Name"/>.</param>
    /// <param name="lookupId">The payload of the message.</param>
    void KeyChanged(string notifier, string lookupId);

    /// <summary>
    /// The notifier listens (again). Changes published while it did not may have been missed, so the whole cache
    /// is cleared: every key is verified against the store once more.
    /// </summary>
    /// <param name="notifier">The notifier's <see cref="IApiKeyChangePublisher.Name"/>.</param>
    void Connected(string notifier);

    /// <summary>
    /// The notifier stopped listening. Until <see cref="Connected"/> this node relies on
    /// <see cref="ApiKeyOptions.CacheTtl"/> for changes made on other nodes.
    /// </summary>
    /// <param name="notifier">The notifier's <see cref="IApiKeyChangePublisher.Name"/>.</param>
    /// <param name="exception">The failure, if one is known.</param>
    void Disconnected(string notifier, Exception? exception);

    /// <summary>
    /// The notifier proved that it still listens (a keep-alive round trip or a poll worked). The notifier health
    /// check (<c>AddApiKeyHealthChecks</c>) reports a connected notifier as degraded when neither this nor a change
    /// arrived for <see cref="HealthChecks.ApiKeyHealthCheckOptions.NotifierHeartbeatTimeout"/>. A notifier should call
    /// it at least every few seconds to a minute; the default implementation does nothing.
    /// </summary>
    /// <param name="notifier">The notifier's <see cref="IApiKeyChangePublisher.Name"/>.</param>
    void Heartbeat(string notifier)
    {
    }
}

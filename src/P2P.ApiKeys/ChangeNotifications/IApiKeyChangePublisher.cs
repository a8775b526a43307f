namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>
/// Tells the other nodes of a deployment that a key changed, so that they drop their cached verification of it.
/// Registered by a notifier package (<c>AddPostgreSqlChangeNotifications()</c>, <c>AddRedisChangeNotifications()</c>,
/// <c>AddPollingChangeNotifications()</c>); a host never calls it directly.
/// </summary>
/// <remarks>
/// The library has already evicted the key on this node and written the change to the store when it calls
/// <see cref="PublishAsync"/>. A publisher may throw: the library logs and counts the failure and the admin call
/// still succeeds, since the other nodes see the change within <see cref="ApiKeyOptions.CacheTtl"/> anyway.
/// </remarks>
public interface IApiKeyChangePublisher
{
    /// <summary>A short name for logs and metrics, for example <c>postgresql</c> or <c>redis</c>.</summary>
    string Name { get; }

    /// <summary>Publishes that the key with <paramref name="lookupId"/> changed.</summary>
    /// <param name="lookupId">The public lookup id of the key; never the key or its secret.</param>
    /// <param name="cancellationToken">Cancelled when the publish takes too long.</param>
    ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken);
}

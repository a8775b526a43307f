namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>
/// Called by the library after it changed a key in the store (revoked, rotated, disabled, updated, deleted). The
/// default implementation drops the key from this node's verification cache at once and then hands the change
/// to every registered <see cref="IApiKeyChangePublisher"/>, so that other nodes drop it too. Without a publisher,
/// other nodes see the change within <see cref="ApiKeyOptions.CacheTtl"/>.
/// </summary>
/// <remarks>
/// Never throws for a failed publish: the change is stored and evicted here, and the failure is logged and
/// counted. Hosts add publishers with a notifier package rather than replacing this service.
/// </remarks>
public interface IApiKeyChangeNotifier
{
    /// <summary>Called after the library changed the key with <paramref name="lookupId"/> in the store.</summary>
    /// <param name="lookupId">The public lookup id of the changed key.</param>
    /// <param name="cancellationToken">Cancels waiting for the publishers; the local eviction happens first regardless.</param>
    ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken);
}

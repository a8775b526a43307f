namespace P2P.ApiKeys.Caching;

/// <summary>
/// Tells every node that a key changed (revoked, rotated, deleted) so that cached verifications of it are
/// dropped. The default implementation evicts from this node's cache only; other nodes then see the change
/// within <see cref="ApiKeyOptions.CacheTtl"/>. A multi-node host can register one that also publishes the
/// change (for example over Redis or PostgreSQL LISTEN/NOTIFY) and evicts on receipt.
/// </summary>
public interface IApiKeyChangeNotifier
{
    /// <summary>Called after the library changed the key with <paramref name="lookupId"/> in the store.</summary>
    ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken);
}

namespace P2P.ApiKeys.Caching;

/// <summary>
/// This node's cache of verified keys. A custom <see cref="ChangeNotifications.IApiKeyChangeNotifier"/> that tells other nodes
/// about changes calls <see cref="Remove"/> on each node when it receives one.
/// </summary>
public interface IApiKeyVerificationCache
{
    /// <summary>Drops the cached verification of the key with <paramref name="lookupId"/>, if any.</summary>
    void Remove(string lookupId);

    /// <summary>Drops every cached verification.</summary>
    void Clear();
}

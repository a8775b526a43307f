namespace P2P.ApiKeys.Caching;

/// <summary>The default <see cref="IApiKeyChangeNotifier"/>: drops the key from this node's verification cache.</summary>
internal sealed class LocalApiKeyChangeNotifier(IApiKeyVerificationCache cache) : IApiKeyChangeNotifier
{
    public ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        cache.Remove(lookupId);
        return ValueTask.CompletedTask;
    }
}

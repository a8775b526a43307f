namespace P2P.ApiKeys.Caching;

/// <summary>The default <see cref="IApiKeyChangeNotifier"/>: drops the key from this node's verification cache.</summary>
internal sealed class LocalApiKeyChangeNotifier : IApiKeyChangeNotifier
{
    public ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        // The verification cache is wired in here by the authentication core.
        return ValueTask.CompletedTask;
    }
}

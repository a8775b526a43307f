using P2P.ApiKeys.Caching;
using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>
/// The <see cref="IApiKeyChangeNotifier"/>: evicts from this node's cache, then publishes to every registered
/// <see cref="IApiKeyChangePublisher"/>, each bounded by <see cref="PublishTimeout"/>; a failure is logged and
/// counted, never thrown.
/// </summary>
internal sealed class ApiKeyChangeNotifier(
    IApiKeyVerificationCache cache,
    IEnumerable<IApiKeyChangePublisher> publishers,
    ChangeNotificationMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ApiKeyChangeNotifier> logger) : IApiKeyChangeNotifier
{
    /// <summary>
    /// How long an admin call waits for one publisher. A hung broker must not hang the admin call; the other
    /// nodes then see the change within CacheTtl, as after any failed publish.
    /// </summary>
    internal static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private readonly IApiKeyChangePublisher[] _publishers = [.. publishers];

    public async ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        cache.Remove(lookupId);
        foreach (var publisher in _publishers)
        {
            using var timeout = new CancellationTokenSource(PublishTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await publisher.PublishAsync(lookupId, linked.Token).ConfigureAwait(false);
                metrics.RecordChangePublished(publisher.Name, succeeded: true);
            }
#pragma warning disable CA1031 // The change is stored and evicted here: a failed publish must not fail the caller.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                metrics.RecordChangePublished(publisher.Name, succeeded: false);
                ChangeNotificationLog.PublishFailed(logger, publisher.Name, lookupId, ex);
            }
        }
    }
}

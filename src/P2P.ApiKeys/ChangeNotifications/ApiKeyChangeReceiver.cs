using P2P.ApiKeys.Caching;
using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>The <see cref="IApiKeyChangeReceiver"/>: evicts, clears on (re)connection, logs, counts and keeps each notifier's status for the health check.</summary>
internal sealed class ApiKeyChangeReceiver(
    IApiKeyVerificationCache cache,
    ChangeNotificationMetrics metrics,
    ApiKeyChangeNotifierStatus status,
    ILogger<ApiKeyChangeReceiver> logger) : IApiKeyChangeReceiver
{
    // Longer than any lookup id this library mints, short enough that a stray payload costs nothing.
    private const int MaxLookupIdLength = 64;

    public void KeyChanged(string notifier, string lookupId)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        if (!IsWellFormed(lookupId))
        {
            // Never logged: a foreign payload may be anything, a key included.
            ChangeNotificationLog.MalformedChangeIgnored(logger, notifier);
            return;
        }

        cache.Remove(lookupId);
        status.HeardFrom(notifier);
        metrics.RecordChangeReceived(notifier);
        ChangeNotificationLog.ChangeReceived(logger, notifier, lookupId);
    }

    public void Connected(string notifier)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        cache.Clear();
        status.Connected(notifier);
        metrics.RecordNotifierConnected(notifier);
        ChangeNotificationLog.Connected(logger, notifier);
    }

    public void Disconnected(string notifier, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        status.Disconnected(notifier, exception);
        metrics.RecordNotifierDisconnected(notifier);
        ChangeNotificationLog.Disconnected(logger, notifier, exception);
    }

    public void Heartbeat(string notifier)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        status.HeardFrom(notifier);
    }

    private static bool IsWellFormed(string? lookupId)
    {
        if (string.IsNullOrEmpty(lookupId) || lookupId.Length > MaxLookupIdLength)
        {
            return false;
        }

        foreach (var c in lookupId)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

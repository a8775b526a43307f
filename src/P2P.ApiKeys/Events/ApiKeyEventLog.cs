using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Events;

/// <summary>Log lines of the event dispatcher (EventIds 1510-1529): event ids, types and endpoints' hosts; never a secret or payload.</summary>
internal static partial class ApiKeyEventLog
{
    [LoggerMessage(1510, LogLevel.Warning, "Delivering event {EventId} ({Type}) to {Endpoint} failed with {Status}; attempt {Attempt}.", EventName = "ApiKeyWebhookFailed")]
    public static partial void WebhookFailed(ILogger logger, string eventId, string type, string endpoint, string status, int attempt);

    [LoggerMessage(1511, LogLevel.Warning, "An event handler failed on event {EventId} ({Type}); attempt {Attempt}.", EventName = "ApiKeyEventHandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, string eventId, string type, int attempt, Exception exception);

    [LoggerMessage(1512, LogLevel.Information, "Event {EventId} ({Type}) will be tried again at {NextAttemptAt}.", EventName = "ApiKeyEventRetryScheduled")]
    public static partial void RetryScheduled(ILogger logger, string eventId, string type, DateTimeOffset nextAttemptAt);

    [LoggerMessage(1513, LogLevel.Error, "Event {EventId} ({Type}) could not be delivered within the retry period and is marked failed after {Attempts} attempts.", EventName = "ApiKeyEventGaveUp")]
    public static partial void GaveUp(ILogger logger, string eventId, string type, int attempts);

    [LoggerMessage(1514, LogLevel.Error, "The event outbox could not be read or written; the dispatcher tries again.", EventName = "ApiKeyEventOutboxFailed")]
    public static partial void OutboxFailed(ILogger logger, Exception exception);

    [LoggerMessage(1520, LogLevel.Information, "Deleted {Count} delivered or failed events finished before {Before} from the outbox.", EventName = "ApiKeyEventsPruned")]
    public static partial void Pruned(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(1515, LogLevel.Debug, "Event {EventId} ({Type}) delivered.", EventName = "ApiKeyEventDelivered")]
    public static partial void Delivered(ILogger logger, string eventId, string type);
}

using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Management;

/// <summary>Log lines about what a key change leaves behind (EventIds 1210-1219): ids and actions only, never a key or hash.</summary>
internal static partial class ApiKeyJournalLog
{
    [LoggerMessage(1210, LogLevel.Error,
        "The audit entry {Action} for API key {KeyId} could not be written (the store writes no audit entry with its changes); the change itself stands.",
        EventName = "ApiKeyAuditWriteFailed")]
    public static partial void AuditWriteFailed(ILogger logger, string action, Guid keyId, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// Secret-scanning log messages (event ids 1600–1699). Key ids, lookup ids and report locations only: never a token,
/// a key, a hash, a signature or the shared secret. Refused requests are counted in metrics and logged at Debug only,
/// so a flood of forged reports cannot flood the log.
/// </summary>
internal static partial class SecretScanningLog
{
    [LoggerMessage(1600, LogLevel.Information, "A {Provider} secret-scanning report with {Matches} match(es) was verified: {Positives} key(s) of ours, {Acted} acted on (replay: {Replay}).",
        EventName = "SecretScanningReportHandled")]
    public static partial void ReportHandled(ILogger logger, string provider, int matches, int positives, int acted, bool replay);

    [LoggerMessage(1601, LogLevel.Warning, "API key {KeyId} ({LookupId}) was reported leaked by {Provider} at {Location}; action: {Action}.",
        EventName = "SecretScanningKeyLeaked")]
    public static partial void KeyLeaked(ILogger logger, Guid keyId, string lookupId, string provider, string location, string action);

    [LoggerMessage(1602, LogLevel.Debug, "A {Provider} secret-scanning request was refused: {Reason}.", EventName = "SecretScanningRequestRefused")]
    public static partial void RequestRefused(ILogger logger, string provider, string reason);

    [LoggerMessage(1603, LogLevel.Information, "GitHub secret-scanning public keys loaded: {Count} usable key(s) from {Origin}.", EventName = "SecretScanningPublicKeysLoaded")]
    public static partial void PublicKeysLoaded(ILogger logger, int count, string origin);

    [LoggerMessage(1604, LogLevel.Warning, "GitHub secret-scanning public keys could not be loaded from {Origin}; the keys loaded before are kept.",
        EventName = "SecretScanningPublicKeysFailed")]
    public static partial void PublicKeysFailed(ILogger logger, string origin, Exception exception);

    [LoggerMessage(1605, LogLevel.Warning, "A GitHub secret-scanning public key entry was skipped ({Reason}).", EventName = "SecretScanningPublicKeySkipped")]
    public static partial void PublicKeySkipped(ILogger logger, string reason);

    [LoggerMessage(1606, LogLevel.Error, "The audit entry {Action} for leaked API key {KeyId} could not be written; the action itself stands.",
        EventName = "SecretScanningAuditWriteFailed")]
    public static partial void AuditWriteFailed(ILogger logger, string action, Guid keyId, Exception exception);

    [LoggerMessage(1607, LogLevel.Error, "The API key store failed while a {Provider} secret-scanning report was handled; answering 503 (the scanner may retry: handling is idempotent).",
        EventName = "SecretScanningStoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, string provider, Exception exception);

    [LoggerMessage(1608, LogLevel.Debug, "GitHub secret-scanning public keys unchanged at {Origin} (304).", EventName = "SecretScanningPublicKeysNotModified")]
    public static partial void PublicKeysNotModified(ILogger logger, string origin);
}

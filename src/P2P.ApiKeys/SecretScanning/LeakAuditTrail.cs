using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// What a secret scanner's change looks like in the audit trail: the scanner as actor with the location it reported, the
/// sender's address, and the action. The entry itself is written by <see cref="IApiKeyManager.ReportLeakAsync"/>, in the
/// change's transaction. Never the token.
/// </summary>
internal static class LeakAuditTrail
{
    public const string ActorName = "secret scanner";
    public const string KeyRevoked = ApiKeyAuditActions.Revoked;
    public const string KeyDisabled = ApiKeyAuditActions.Disabled;
    public const string KeyLeakReported = ApiKeyAuditActions.LeakReported;

    /// <summary>The actor of a report: <c>secret scanner (github: location)</c>, of kind <c>scanner</c>.</summary>
    public static AuditActor Actor(SecretScanningProvider provider, string location, string? clientAddress) =>
        new(AuditActorKind.Scanner, $"{ActorName} ({provider.Name()}: {location})") { ClientAddress = clientAddress };
}

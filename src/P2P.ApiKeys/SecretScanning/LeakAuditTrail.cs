using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// The one place that writes what a secret scanner caused into the audit trail: action, the scanner as actor with the
/// location it reported, the key id as target, the sender's address. Never the token.
/// </summary>
/// <remarks>
/// Kept small on purpose: when the manager writes audit entries itself (with an actor type, and an <c>api_key.leaked</c>
/// event), this class is what switches over.
/// </remarks>
internal sealed class LeakAuditTrail(IAdminAuditStore store, TimeProvider time)
{
    public const string Actor = "secret scanner";
    public const string KeyRevoked = "key.revoked";
    public const string KeyDisabled = "key.disabled";
    public const string KeyLeakReported = "key.leak_reported";

    public ValueTask WriteAsync(string action, Guid keyId, SecretScanningProvider provider, string location, string? clientAddress)
    {
        var now = time.GetUtcNow();
        return store.AppendAsync(new AdminAuditEntry
        {
            Id = Guid.CreateVersion7(now),
            OccurredAt = now,
            Action = action,
            Actor = Truncate($"{Actor} ({provider.Name()}: {location})"),
            ActorKind = AuditActor.KindNameOf(AuditActorKind.Scanner),
            Target = keyId.ToString(),
            ClientAddress = Truncate(clientAddress),
        }, CancellationToken.None); // written after the action, even if the scanner has gone
    }

    private static string? Truncate(string? value) =>
        value is { Length: > AdminAuditEntry.MaxTextLength } ? value[..AdminAuditEntry.MaxTextLength] : value;
}

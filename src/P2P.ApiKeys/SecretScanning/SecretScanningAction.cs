namespace P2P.ApiKeys.SecretScanning;

/// <summary>What happens to one of the host's keys when a secret scanner reports it leaked.</summary>
public enum SecretScanningAction
{
    /// <summary>
    /// Revoke the key at once, on every node (a key in a rotation's grace period included). Final: the customer needs a
    /// new key. The safe default, since a key found in a public place is compromised.
    /// </summary>
    Revoke = 0,

    /// <summary>
    /// Disable the key: refused at once on every node, but an admin (or the host's code) can enable it again. A key in a
    /// rotation's grace period cannot be disabled and is revoked instead; it was going away anyway.
    /// </summary>
    Disable = 1,

    /// <summary>Change nothing: only the audit entry and the log line say the key leaked, for the host to act on.</summary>
    Report = 2,
}

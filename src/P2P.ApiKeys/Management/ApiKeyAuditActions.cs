namespace P2P.ApiKeys.Management;

/// <summary>
/// The <see cref="Stores.AdminAuditEntry.Action"/> of each key change that <see cref="IApiKeyManager"/> audits: one entry
/// per successful change, written in the same store transaction as the change.
/// </summary>
public static class ApiKeyAuditActions
{
    /// <summary>A key was created.</summary>
    public const string Created = "key.created";

    /// <summary>A key's name, scopes, expiry, metadata or limits changed (not only its enabled flag).</summary>
    public const string Updated = "key.updated";

    /// <summary>A disabled key was enabled.</summary>
    public const string Enabled = "key.enabled";

    /// <summary>An enabled key was disabled (by a caller, or by a secret scanner's report).</summary>
    public const string Disabled = "key.disabled";

    /// <summary>A key was revoked (by a caller, or by a secret scanner's report).</summary>
    public const string Revoked = "key.revoked";

    /// <summary>A key was rotated; the entry's target is <c>old id -&gt; new id</c>.</summary>
    public const string Rotated = "key.rotated";

    /// <summary>A secret scanner reported a key as leaked, and the key was left as it is.</summary>
    public const string LeakReported = "key.leak_reported";

    /// <summary>A key's used rate limit and quota (its lineage's) were reset.</summary>
    public const string LimitsReset = "key.limits_reset";

    /// <summary>An owner's shared rate limit or quota was set or removed (the entry's owner and target name the owner).</summary>
    public const string OwnerLimitsChanged = "owner.limits_changed";
}

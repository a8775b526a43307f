namespace P2P.ApiKeys.Management;

/// <summary>
/// The <c>type</c> of each key event. <see cref="IApiKeyManager"/> writes one outbox row per change (two for a leak that
/// disables or revokes a key: <see cref="Leaked"/> and the change) in the change's transaction; dispatchers deliver them
/// as Standard Webhooks and to in-process handlers.
/// </summary>
public static class ApiKeyEventTypes
{
    /// <summary>A key was created.</summary>
    public const string Created = "api_key.created";

    /// <summary>A key's name, scopes, expiry, metadata or limits changed.</summary>
    public const string Updated = "api_key.updated";

    /// <summary>A key was rotated; <c>data</c> is the old key, with <c>replaced_by</c> and the end of its grace period in <c>revoked_at</c>.</summary>
    public const string Rotated = "api_key.rotated";

    /// <summary>A key was revoked.</summary>
    public const string Revoked = "api_key.revoked";

    /// <summary>A disabled key was enabled.</summary>
    public const string Enabled = "api_key.enabled";

    /// <summary>A key was disabled.</summary>
    public const string Disabled = "api_key.disabled";

    /// <summary>A secret scanner reported the key as leaked.</summary>
    public const string Leaked = "api_key.leaked";

    /// <summary>
    /// The key expires within one of <c>ApiKeyEventOptions.ExpiringLeadTimes</c> (default 30, 7 and 1 days); written by
    /// the dispatchers' expiry scan, once per key, lead time and expiry, however many nodes scan.
    /// </summary>
    public const string Expiring = "api_key.expiring";

    /// <summary>
    /// A key's lineage has used one of <c>ApiKeyEventOptions.QuotaThresholds</c> (default 0.8 and 1.0) of its quota in
    /// the current period; once per lineage, period and fraction, however many nodes count.
    /// </summary>
    public const string QuotaThreshold = "api_key.quota_threshold";

    /// <summary>Every type above.</summary>
    public static IReadOnlyList<string> All { get; } = [Created, Updated, Rotated, Revoked, Enabled, Disabled, Leaked, Expiring, QuotaThreshold];
}

namespace P2P.ApiKeys.Management;

/// <summary>What <see cref="IApiKeyManager.UpdateAsync"/> changes; a <see langword="null"/> property is left as it is.</summary>
public sealed class ApiKeyUpdateRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>The new scopes (replacing the old ones).</summary>
    public IReadOnlyCollection<string>? Scopes { get; init; }

    /// <summary>A new expiry, in the future.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The new metadata (replacing the old map; empty clears it).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary><see langword="true"/> to enable a disabled key, <see langword="false"/> to disable an enabled one.</summary>
    public bool? Enabled { get; init; }

    /// <summary>A new rate limit for the key (replacing its own one, or the host default it was under).</summary>
    public RateLimiting.ApiKeyRateLimit? RateLimit { get; init; }

    /// <summary>
    /// <see langword="true"/> to remove the key's own rate limit, so that the host default
    /// (<see cref="RateLimiting.ApiKeyRateLimitOptions.DefaultRateLimit"/>) applies. Not together with <see cref="RateLimit"/>.
    /// </summary>
    public bool RemoveRateLimit { get; init; }

    /// <summary>A new quota for the key (replacing its own one, or the host default it was under).</summary>
    public RateLimiting.ApiKeyQuota? Quota { get; init; }

    /// <summary>
    /// <see langword="true"/> to remove the key's own quota, so that the host default
    /// (<see cref="RateLimiting.ApiKeyRateLimitOptions.DefaultQuota"/>) applies. Not together with <see cref="Quota"/>.
    /// </summary>
    public bool RemoveQuota { get; init; }

    /// <summary>
    /// Who makes the change, as the audit trail records it (an admin, an admin key, a named part of the host's code:
    /// <see cref="Stores.AuditActor.Host"/>); <see langword="null"/> is <see cref="Stores.AuditActor.System"/>.
    /// </summary>
    public Stores.AuditActor? Actor { get; init; }
}

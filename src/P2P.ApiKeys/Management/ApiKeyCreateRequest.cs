namespace P2P.ApiKeys.Management;

/// <summary>What <see cref="IApiKeyManager.CreateAsync"/> mints.</summary>
public sealed class ApiKeyCreateRequest
{
    /// <summary>A human-readable name, 1 to 100 characters, for example <c>Acme production</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Who the key is for (a customer or user id), up to 256 characters; filters lists. Optional.</summary>
    public string? Owner { get; init; }

    /// <summary>Scopes to grant; <see langword="null"/> grants <see cref="ApiKeyOptions.DefaultScopes"/>.</summary>
    public IReadOnlyCollection<string>? Scopes { get; init; }

    /// <summary>When the key stops working (in the future), or <see langword="null"/> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A small map of the host's own data (at most 16 entries), exposed as claims. Never a secret.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Whether the key works from the start.</summary>
    /// <remarks>Defaults to <see langword="true"/>.</remarks>
    public bool Enabled { get; init; } = true;

    /// <summary>The key's own rate limit, or <see langword="null"/> for the host default (<see cref="RateLimiting.ApiKeyRateLimitOptions.DefaultRateLimit"/>).</summary>
    public RateLimiting.ApiKeyRateLimit? RateLimit { get; init; }

    /// <summary>The key's own quota, or <see langword="null"/> for the host default (<see cref="RateLimiting.ApiKeyRateLimitOptions.DefaultQuota"/>).</summary>
    public RateLimiting.ApiKeyQuota? Quota { get; init; }

    /// <summary>
    /// Who makes the change, as the audit trail records it (an admin, an admin key, a named part of the host's code:
    /// <see cref="Stores.AuditActor.Host"/>); <see langword="null"/> is <see cref="Stores.AuditActor.System"/>.
    /// </summary>
    public Stores.AuditActor? Actor { get; init; }
}

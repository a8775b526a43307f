using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Management;

/// <summary>What <see cref="IApiKeyOwnerLimits.UpdateAsync"/> changes; a <see langword="null"/> limit is left as it is.</summary>
public sealed class ApiKeyOwnerLimitsUpdate
{
    /// <summary>A new rate limit for the owner, shared by all of the owner's keys.</summary>
    public ApiKeyRateLimit? RateLimit { get; init; }

    /// <summary><see langword="true"/> to remove the owner's rate limit (not together with <see cref="RateLimit"/>).</summary>
    public bool RemoveRateLimit { get; init; }

    /// <summary>A new quota for the owner, shared by all of the owner's keys.</summary>
    public ApiKeyQuota? Quota { get; init; }

    /// <summary><see langword="true"/> to remove the owner's quota (not together with <see cref="Quota"/>).</summary>
    public bool RemoveQuota { get; init; }
}

using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>One row of <c>p2p_api_key_owner_limits</c>: an owner's shared rate limit and quota.</summary>
internal sealed class ApiKeyOwnerLimitRow
{
    public string Owner { get; set; } = "";

    public ApiKeyRateLimit? RateLimit { get; set; }

    public ApiKeyQuota? Quota { get; set; }
}

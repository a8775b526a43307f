using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Redis.Tests.RateLimiting;

/// <summary>A key minted the way the library mints keys, as a record to put in several nodes' stores.</summary>
internal static class TestKey
{
    public static (string Key, ApiKeyRecord Record) Create(ApiKeyRateLimit? rateLimit = null, ApiKeyQuota? quota = null)
    {
        var format = new KeyFormat.ApiKeyFormat("p2p");
        var generated = format.Generate();
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid(),
            LookupId = generated.LookupId,
            SecretHash = new KeyFormat.ApiKeySecretHasher(null).HashKey(format, generated.Key),
            Name = "Redis test key",
            Scopes = ["p2p:read"],
            CreatedAt = DateTimeOffset.UtcNow,
            RateLimit = rateLimit,
            Quota = quota,
        };
        return (generated.Key, record);
    }
}

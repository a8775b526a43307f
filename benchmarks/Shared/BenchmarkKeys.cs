using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Benchmarks.Shared;

/// <summary>Keys minted the way the admin endpoints mint them, for the benchmark stores: real lookup ids and hashes.</summary>
internal static class BenchmarkKeys
{
    /// <summary>A new key with scope <c>p2p:read</c>: its plaintext, and the record that stores only its hash.</summary>
    public static (string Key, ApiKeyRecord Record) Mint(ApiKeyFormat format, ApiKeySecretHasher hasher, string name, string owner, DateTimeOffset createdAt)
    {
        var generated = format.Generate();
        var record = new ApiKeyRecord
        {
            Id = Guid.NewGuid(),
            LookupId = generated.LookupId,
            SecretHash = hasher.HashKey(format, generated.Key),
            Name = name,
            Owner = owner,
            Scopes = ["p2p:read"],
            CreatedAt = createdAt,
        };
        return (generated.Key, record);
    }
}

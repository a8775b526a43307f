using System.Security.Cryptography;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Benchmarks.Shared;

/// <summary>Keys for the benchmark hosts, through the public API only.</summary>
internal static class BenchmarkKeys
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A real key with scope <c>p2p:read</c>, minted and stored by <see cref="IApiKeyManager"/> as any host would.</summary>
    public static async Task<CreatedApiKey> CreateAsync(IApiKeyManager keys, string name, string owner)
    {
        var created = await keys.CreateAsync(new() { Name = name, Owner = owner, Scopes = ["p2p:read"] }).ConfigureAwait(false);
        return created.Succeeded ? created.Value : throw new InvalidOperationException($"The benchmark key was refused: {created.Error}.");
    }

    /// <summary>
    /// A row that fills a keys table for index and lookup measurements: a random lookup id of the real length and a
    /// random 32-byte hash. No key matches it, and none is needed: only its row is.
    /// </summary>
    public static ApiKeyRecord Filler(string name, string owner, DateTimeOffset createdAt) => new()
    {
        Id = Guid.CreateVersion7(createdAt),
        LookupId = RandomNumberGenerator.GetString(Base62, 12),
        SecretHash = RandomNumberGenerator.GetBytes(32),
        Name = name,
        Owner = owner,
        Scopes = ["p2p:read"],
        CreatedAt = createdAt,
    };
}

using System.Security.Cryptography;
using System.Text;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Where an owner's shared budget is counted: a partition id derived from the owner's name (SHA-256, the GUID's version
/// nibble set to 8), so owner budgets live in the same counters, Redis hashes and quota-count store as lineages, and can
/// never collide with a key's lineage id (a random version 4 or 7 GUID).
/// </summary>
internal static class ApiKeyOwnerBudget
{
    public static Guid PartitionOf(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("p2p-owner-budget:" + owner), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom, never a v4/v7 lineage id
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}

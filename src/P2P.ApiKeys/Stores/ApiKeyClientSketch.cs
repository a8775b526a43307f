using System.IO.Hashing;
using System.Numerics;

namespace P2P.ApiKeys.Stores;

/// <summary>
/// A HyperLogLog sketch of client addresses in <see cref="Size"/> bytes (256 registers of the largest rank seen): the
/// distinct clients of a bucket are estimated with a standard error of about 6.5 % (1.04 / √256), and exactly enough
/// for small counts (linear counting: up to a few dozen clients the estimate is almost always exact). Merging two
/// sketches (the larger of each register) gives the sketch of the union, so each node and each flush can write its own
/// sketch and a store merges them; merging the same sketch again changes nothing. Addresses are hashed with XxHash3 and
/// a fixed seed, so every node hashes an address alike; the sketch holds no address.
/// </summary>
public static class ApiKeyClientSketch
{
    /// <summary>Bytes of one sketch: one register per byte.</summary>
    public const int Size = 1 << IndexBits;

    private const int IndexBits = 8;
    private const long Seed = 0x5032_5041_7069_4b65; // "P2PApiKe"

    /// <summary>A new, empty sketch (no client).</summary>
    public static byte[] Create() => new byte[Size];

    /// <summary>The 64-bit hash of a client address (its bytes) that <see cref="Add(Span{byte}, ulong)"/> takes.</summary>
    public static ulong Hash(ReadOnlySpan<byte> address) => XxHash3.HashToUInt64(address, Seed);

    /// <summary>The register of a hashed address and its rank; what a concurrent writer keeps in its own registers.</summary>
    internal static (int Index, byte Rank) Locate(ulong hash)
    {
        var index = (int)(hash >> (64 - IndexBits));
        var rest = hash << IndexBits;
        var rank = (byte)(rest == 0 ? 64 - IndexBits + 1 : BitOperations.LeadingZeroCount(rest) + 1);
        return (index, rank);
    }

    /// <summary>Adds a hashed address to <paramref name="sketch"/>.</summary>
    /// <returns>Whether the sketch changed.</returns>
    public static bool Add(Span<byte> sketch, ulong hash)
    {
        CheckSize(sketch.Length, nameof(sketch));
        var (index, rank) = Locate(hash);
        if (sketch[index] >= rank)
        {
            return false;
        }

        sketch[index] = rank;
        return true;
    }

    /// <summary>Merges <paramref name="other"/> into <paramref name="sketch"/>: afterwards it is the sketch of both sets.</summary>
    /// <returns>Whether <paramref name="sketch"/> changed.</returns>
    public static bool Merge(Span<byte> sketch, ReadOnlySpan<byte> other)
    {
        CheckSize(sketch.Length, nameof(sketch));
        if (other.Length == 0)
        {
            return false;
        }

        CheckSize(other.Length, nameof(other));
        var changed = false;
        for (var i = 0; i < Size; i++)
        {
            if (other[i] > sketch[i])
            {
                sketch[i] = other[i];
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The estimated number of distinct addresses in <paramref name="sketch"/>; 0 for an empty (or zero-length) sketch.</summary>
    public static long Estimate(ReadOnlySpan<byte> sketch)
    {
        if (sketch.Length == 0)
        {
            return 0;
        }

        CheckSize(sketch.Length, nameof(sketch));
        double sum = 0;
        var zeros = 0;
        foreach (var register in sketch)
        {
            sum += Math.ScaleB(1.0, -register);
            if (register == 0)
            {
                zeros++;
            }
        }

        if (zeros == Size)
        {
            return 0;
        }

        const double m = Size;
        var estimate = 0.7213 / (1 + (1.079 / m)) * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
        {
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }

    private static void CheckSize(int length, string name)
    {
        if (length != Size)
        {
            throw new ArgumentException($"A client sketch has {Size} bytes.", name);
        }
    }
}

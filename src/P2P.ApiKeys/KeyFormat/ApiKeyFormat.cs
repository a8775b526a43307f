using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace P2P.ApiKeys.KeyFormat;

/// <summary>
/// The key layout: <c>{prefix}_{lookupId}_{secret}{checksum}</c>, for example
/// <c>p2p_3kT9xQ2mLp0Z_Q8b...F2kq9A</c>. See <c>docs/key-format.md</c>.
/// </summary>
/// <remarks>
/// All parts are base62 and joined with underscores, so the whole key is one word that a double-click
/// selects. The checksum is CRC32 (IEEE) of every character before it, so a typo or a truncated paste
/// is rejected without a store lookup, and secret scanners can tell a real key from random text.
/// </remarks>
internal sealed class ApiKeyFormat
{
    /// <summary>Length of the public lookup id: 12 base62 characters, about 71 bits.</summary>
    public const int LookupIdLength = 12;

    /// <summary>Length of the secret: 32 base62 characters, about 190 bits (the floor is 160).</summary>
    public const int SecretLength = 32;

    /// <summary>CRC32 fits in 6 base62 characters (62^6 &gt; 2^32).</summary>
    public const int ChecksumLength = 6;

    /// <summary>Longest prefix accepted by the options.</summary>
    public const int MaxPrefixLength = 16;

    private const char Separator = '_';

    public ApiKeyFormat(string prefix)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException(
                $"The key prefix must be 1 to {MaxPrefixLength} lower-case ASCII letters or digits.",
                nameof(prefix));
        }

        Prefix = prefix;
        KeyLength = prefix.Length + 1 + LookupIdLength + 1 + SecretLength + ChecksumLength;
    }

    /// <summary>The configured prefix, without the separator.</summary>
    public string Prefix { get; }

    /// <summary>Total length of every key of this format.</summary>
    public int KeyLength { get; }

    public static bool IsValidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxPrefixLength)
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (!((uint)(c - 'a') <= 25 || (uint)(c - '0') <= 9))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Mints a new key from the OS CSPRNG.</summary>
    public GeneratedApiKey Generate()
    {
        var key = string.Create(KeyLength, this, static (span, format) =>
        {
            var prefix = format.Prefix;
            prefix.AsSpan().CopyTo(span);
            var pos = prefix.Length;
            span[pos++] = Separator;
            Base62.FillRandom(span.Slice(pos, LookupIdLength));
            pos += LookupIdLength;
            span[pos++] = Separator;
            Base62.FillRandom(span.Slice(pos, SecretLength));
            pos += SecretLength;
            Base62.EncodeFixed(ComputeChecksum(span[..pos]), span.Slice(pos, ChecksumLength));
        });
        return new GeneratedApiKey(key, key.Substring(Prefix.Length + 1, LookupIdLength));
    }

    /// <summary>
    /// Checks the shape and checksum of <paramref name="key"/> without allocating and without any store call.
    /// Never case-folds: base62 is case-sensitive and folding would throw entropy away.
    /// </summary>
    public ApiKeyParseStatus TryParse(ReadOnlySpan<char> key, out ParsedApiKey parsed)
    {
        parsed = default;
        if (key.IsEmpty)
        {
            return ApiKeyParseStatus.Empty;
        }

        if (key.Length != KeyLength)
        {
            return ApiKeyParseStatus.WrongLength;
        }

        var prefix = Prefix.AsSpan();
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return ApiKeyParseStatus.WrongPrefix;
        }

        var lookupStart = prefix.Length + 1;
        var secretStart = lookupStart + LookupIdLength + 1;
        if (key[prefix.Length] != Separator || key[secretStart - 1] != Separator)
        {
            return ApiKeyParseStatus.BadSeparator;
        }

        var lookupId = key.Slice(lookupStart, LookupIdLength);
        var secretAndChecksum = key[secretStart..];
        if (!Base62.IsBase62(lookupId) || !Base62.IsBase62(secretAndChecksum))
        {
            return ApiKeyParseStatus.InvalidCharacter;
        }

        var body = key[..^ChecksumLength];
        Span<char> expected = stackalloc char[ChecksumLength];
        Base62.EncodeFixed(ComputeChecksum(body), expected);
        if (!expected.SequenceEqual(key[^ChecksumLength..]))
        {
            return ApiKeyParseStatus.BadChecksum;
        }

        parsed = new ParsedApiKey(lookupId, secretAndChecksum[..SecretLength]);
        return ApiKeyParseStatus.Valid;
    }

    /// <summary>CRC32 over the ASCII bytes of <paramref name="body"/>; callers have checked it is base62/underscore ASCII.</summary>
    internal static uint ComputeChecksum(ReadOnlySpan<char> body)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        var written = Encoding.ASCII.GetBytes(body, ascii);
        Span<byte> crc = stackalloc byte[4];
        Crc32.Hash(ascii[..written], crc);
        return BinaryPrimitives.ReadUInt32LittleEndian(crc);
    }
}

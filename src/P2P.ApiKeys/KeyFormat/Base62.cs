using System.Buffers;

namespace P2P.ApiKeys.KeyFormat;

/// <summary>Base62 alphabet helpers: digits, upper case, lower case, in ASCII order.</summary>
internal static class Base62
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool IsBase62(char c) => (uint)(c - '0') <= 9 || (uint)(c - 'A') <= 25 || (uint)(c - 'a') <= 25;

    // Vectorized search: the parse checks about 50 characters on every request.
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    public static bool IsBase62(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(AlphabetValues);

    /// <summary>Writes <paramref name="value"/> as exactly <paramref name="destination"/>.Length base62 digits, most significant first.</summary>
    public static void EncodeFixed(ulong value, Span<char> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniformly distributed base62 characters from the OS CSPRNG.</summary>
    public static void FillRandom(Span<char> destination) =>
        System.Security.Cryptography.RandomNumberGenerator.GetItems(Alphabet.AsSpan(), destination);
}

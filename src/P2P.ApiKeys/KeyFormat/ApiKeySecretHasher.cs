using System.Security.Cryptography;
using System.Text;

namespace P2P.ApiKeys.KeyFormat;

/// <summary>
/// Hashes the secret part of a key: SHA-256, or HMAC-SHA256 when a server-side pepper is configured.
/// API-key secrets carry 190 bits of CSPRNG entropy, so a fast hash is the right tool (a slow password
/// hash would only cost every request); the pepper keeps a stolen database useless without the server.
/// </summary>
internal sealed class ApiKeySecretHasher
{
    public const int HashSize = 32;

    // One hash context per thread, reused. The one-shot SHA256/HMACSHA256.HashData create and free a native
    // context on every call, which costs about as much as hashing the 32-byte secret (and, for HMAC, redoes
    // the key schedule): reuse made verification 0.6x (SHA-256) and 0.45x (HMAC) as costly (docs/benchmarks.md).
    // Hash is synchronous, so a thread never uses its context twice at once, and GetHashAndReset leaves it
    // clean. The HMAC context is keyed, so it belongs to one hasher: another hasher on the thread replaces it.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static ApiKeySecretHasher? t_hmacOwner;

    private readonly byte[]? _pepper;

    public ApiKeySecretHasher(byte[]? pepper) => _pepper = pepper is { Length: > 0 } ? (byte[])pepper.Clone() : null;

    /// <summary>Writes the 32-byte hash of <paramref name="secret"/> into <paramref name="destination"/>.</summary>
    public void Hash(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        // Checked before any data goes in, so that a context is never left holding part of a secret.
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSize, nameof(destination));
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        var hash = ThreadContext();
        hash.AppendData(utf8[..length]);
        hash.GetHashAndReset(destination);
        CryptographicOperations.ZeroMemory(utf8);
    }

    public byte[] Hash(ReadOnlySpan<char> secret)
    {
        var hash = new byte[HashSize];
        Hash(secret, hash);
        return hash;
    }

    /// <summary>The hash to store for a whole key that <paramref name="format"/> just generated.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="key"/> does not parse with <paramref name="format"/>.</exception>
    public byte[] HashKey(ApiKeyFormat format, string key)
    {
        if (format.TryParse(key, out var parsed) != ApiKeyParseStatus.Valid)
        {
            throw new InvalidOperationException("A freshly generated API key did not parse.");
        }

        return Hash(parsed.Secret);
    }

    private IncrementalHash ThreadContext()
    {
        if (_pepper is null)
        {
            return t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }

        if (t_hmac is null || !ReferenceEquals(t_hmacOwner, this))
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _pepper);
            t_hmacOwner = this;
        }

        return t_hmac;
    }

    /// <summary>Constant-time check of <paramref name="secret"/> against a stored hash.</summary>
    public bool Verify(ReadOnlySpan<char> secret, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> computed = stackalloc byte[HashSize];
        Hash(secret, computed);
        return CryptographicOperations.FixedTimeEquals(computed, storedHash);
    }
}

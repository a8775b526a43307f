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

    private readonly byte[]? _pepper;

    public ApiKeySecretHasher(byte[]? pepper) => _pepper = pepper is { Length: > 0 } ? (byte[])pepper.Clone() : null;

    /// <summary>Writes the 32-byte hash of <paramref name="secret"/> into <paramref name="destination"/>.</summary>
    public void Hash(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        if (_pepper is null)
        {
            SHA256.HashData(utf8[..length], destination);
        }
        else
        {
            HMACSHA256.HashData(_pepper, utf8[..length], destination);
        }

        CryptographicOperations.ZeroMemory(utf8);
    }

    public byte[] Hash(ReadOnlySpan<char> secret)
    {
        var hash = new byte[HashSize];
        Hash(secret, hash);
        return hash;
    }

    /// <summary>Constant-time check of <paramref name="secret"/> against a stored hash.</summary>
    public bool Verify(ReadOnlySpan<char> secret, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> computed = stackalloc byte[HashSize];
        Hash(secret, computed);
        return CryptographicOperations.FixedTimeEquals(computed, storedHash);
    }
}

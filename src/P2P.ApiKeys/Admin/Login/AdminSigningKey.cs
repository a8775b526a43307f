using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>Turns <see cref="AdminTokenOptions.SigningKey"/> into the HS256 key, once, the same way on every node.</summary>
internal sealed class AdminSigningKey(IOptions<AdminOptions> options)
{
    private readonly Lazy<SymmetricSecurityKey> _key = new(() =>
        new SymmetricSecurityKey(Decode(options.Value.Token.SigningKey) ?? throw new InvalidOperationException(
            "AdminOptions.Token.SigningKey must be at least 256 bits (32 bytes).")));

    public SymmetricSecurityKey Key => _key.Value;

    /// <summary>The key bytes, or <see langword="null"/> when the setting is missing or shorter than 256 bits.</summary>
    public static byte[]? Decode(string? signingKey)
    {
        if (string.IsNullOrEmpty(signingKey))
        {
            return null;
        }

        var buffer = new byte[signingKey.Length];
        if (Convert.TryFromBase64String(signingKey, buffer, out var written) && written >= AdminTokenOptions.MinSigningKeyBytes)
        {
            return buffer[..written];
        }

        var raw = Encoding.UTF8.GetBytes(signingKey);
        return raw.Length >= AdminTokenOptions.MinSigningKeyBytes ? raw : null;
    }
}

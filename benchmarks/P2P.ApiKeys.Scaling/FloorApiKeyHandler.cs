using System.Buffers.Binary;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Scaling;

/// <summary>
/// The floor of any API-key handler, hand-rolled as an application would write it the safe way: SHA-256 of
/// the presented key, a dictionary lookup by that hash, a fixed-time compare of the whole hash, and a
/// principal with the same claims our handler gives. No parsing, no cache expiry, no revocation, no
/// last-used time, no metrics, no logging: whatever a real key handler adds costs more than this.
/// </summary>
internal sealed class FloorApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    FloorKeyTable keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Floor";
    public const string HeaderName = "X-API-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[HeaderName];
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= 256 } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        if (!keys.ByHashPrefix.TryGetValue(BinaryPrimitives.ReadInt64LittleEndian(hash), out var entry)
            || !CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(entry.Claims, SchemeName, ApiKeyClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

/// <summary>The floor handler's keys: SHA-256 of each whole key, indexed by its first 8 bytes.</summary>
internal sealed class FloorKeyTable
{
    public Dictionary<long, FloorKey> ByHashPrefix { get; } = [];

    public void Add(string key, Claim[] claims)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        ByHashPrefix.Add(BinaryPrimitives.ReadInt64LittleEndian(hash), new FloorKey(hash, claims));
    }
}

internal sealed record FloorKey(byte[] Hash, Claim[] Claims);

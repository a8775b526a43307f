using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace P2P.ApiKeys.Testing;

/// <summary>
/// Plays GitHub's part in the secret-scanning partner program: an ECDSA P-256 key pair made here, its public key
/// published in GitHub's format (<c>{"public_keys": [...]}</c>, as a file or a string to serve), and reports signed over
/// their raw bytes (SHA-256, DER, base64) with the <c>Github-Public-Key-*</c> headers. Linked into the test projects and
/// the secret-scanning benchmark.
/// </summary>
public sealed class GitHubReportSigner : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public GitHubReportSigner(string? identifier = null)
    {
        Identifier = identifier ?? Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The <c>key_identifier</c> this key is published under.</summary>
    public string Identifier { get; }

    /// <summary>GitHub's key document listing <paramref name="signers"/>.</summary>
    public static string PublicKeysJson(params GitHubReportSigner[] signers) => JsonSerializer.Serialize(new
    {
        public_keys = signers.Select(s => new { key_identifier = s.Identifier, key = s._key.ExportSubjectPublicKeyInfoPem(), is_current = true }),
    });

    /// <summary>Writes <see cref="PublicKeysJson"/> to a new file in <paramref name="directory"/> and returns its path.</summary>
    public string WritePublicKeysFile(string directory)
    {
        var path = Path.Combine(directory, $"github-keys-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, PublicKeysJson(this));
        return path;
    }

    /// <summary>A JSON report: one match per token, <c>{"token", "type", "url", "source"}</c>, compact as GitHub sends it.</summary>
    public static byte[] Report(IEnumerable<string> tokens, string type = "p2p_api_key") =>
        JsonSerializer.SerializeToUtf8Bytes(tokens.Select((token, i) => new
        {
            token,
            type,
            url = $"https://github.com/octocat/hello-world/blob/0123456789abcdef/config/{i}.env",
            source = "content",
        }));

    /// <summary>The base64 DER signature of <paramref name="body"/>, as GitHub sends it.</summary>
    public string Sign(byte[] body) => Convert.ToBase64String(_key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>A POST of <paramref name="body"/> to <paramref name="path"/>, signed with <paramref name="signature"/> (this key's by default).</summary>
    public HttpRequestMessage Request(string path, byte[] body, string? signature = null, string? identifier = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Github-Public-Key-Identifier", identifier ?? Identifier);
        request.Headers.TryAddWithoutValidation("Github-Public-Key-Signature", signature ?? Sign(body));
        return request;
    }

    /// <summary>SHA-256 of the token, lower-case hex: the <c>token_hash</c> of an answer.</summary>
    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Dispose() => _key.Dispose();
}

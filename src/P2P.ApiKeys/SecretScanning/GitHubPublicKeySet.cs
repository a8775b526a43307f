using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// The ECDSA P-256 keys GitHub signs its reports with, by identifier, from <see cref="GitHubSecretScanningOptions.PublicKeysFile"/>
/// and <see cref="GitHubSecretScanningOptions.PublicKeysUrl"/>. Loaded at the first report; loaded again when a report
/// names an identifier not in the set (a new GitHub key), at most once per <see cref="MinRefreshInterval"/> whatever the
/// traffic, and, with a URL, when the copy is <see cref="MaxAge"/> old (GitHub may withdraw a key). A failed load keeps
/// what was loaded before.
/// </summary>
internal sealed class GitHubPublicKeySet : IDisposable
{
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);
    public const int MaxDocumentBytes = 256 * 1024;
    public const int MaxIdentifierLength = 128;
    private const string NistP256Oid = "1.2.840.10045.3.1.7";
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly GitHubSecretScanningOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    private volatile Snapshot? _snapshot;

    // Guarded by _refresh.
    private DateTimeOffset _lastAttempt;
    private FrozenDictionary<string, ECParameters> _urlKeys = FrozenDictionary<string, ECParameters>.Empty;
    private EntityTagHeaderValue? _urlETag;

    public GitHubPublicKeySet(IOptions<SecretScanningOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<GitHubPublicKeySet> logger)
    {
        _options = options.Value.GitHub;
        _httpClients = httpClients;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Whether <paramref name="signature"/> (DER, as GitHub sends it) is a valid ECDSA P-256 / SHA-256 signature of
    /// <paramref name="body"/> by the key named <paramref name="identifier"/>. Unknown identifier: false.
    /// </summary>
    public async ValueTask<bool> VerifyAsync(string identifier, ReadOnlyMemory<byte> body, byte[] signature, CancellationToken cancellationToken)
    {
        if (await FindAsync(identifier, cancellationToken).ConfigureAwait(false) is not { } parameters)
        {
            return false;
        }

        // A fresh instance per check: an ECDsa object is not documented as safe for concurrent use.
        using var key = ECDsa.Create(parameters);
        return key.VerifyData(body.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private async ValueTask<ECParameters?> FindAsync(string identifier, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || (_options.PublicKeysUrl is not null && _time.GetUtcNow() - snapshot.LoadedAt >= MaxAge))
        {
            snapshot = await RefreshAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot.Keys.TryGetValue(identifier, out var key))
        {
            return key;
        }

        snapshot = await RefreshAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return snapshot.Keys.TryGetValue(identifier, out key) ? key : null;
    }

    /// <summary>Loads again, unless another caller did since <paramref name="seen"/> or the last attempt is too recent.</summary>
    private async Task<Snapshot> RefreshAsync(Snapshot? seen, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _snapshot;
            var now = _time.GetUtcNow();
            if (current is not null && (!ReferenceEquals(current, seen) || now - _lastAttempt < MinRefreshInterval))
            {
                return current;
            }

            _lastAttempt = now;
            var keys = new Dictionary<string, ECParameters>(StringComparer.Ordinal);
            if (_options.PublicKeysFile is { Length: > 0 } file)
            {
                foreach (var (id, key) in current?.FileKeys ?? FrozenDictionary<string, ECParameters>.Empty)
                {
                    keys[id] = key; // kept if the file cannot be read now
                }

                if (await LoadFileAsync(file).ConfigureAwait(false) is { } fromFile)
                {
                    keys = new Dictionary<string, ECParameters>(fromFile, StringComparer.Ordinal);
                }
            }

            var fileKeys = keys.ToFrozenDictionary(StringComparer.Ordinal);
            if (_options.PublicKeysUrl is { } url)
            {
                await LoadUrlAsync(url).ConfigureAwait(false);
                foreach (var (id, key) in _urlKeys)
                {
                    keys.TryAdd(id, key);
                }
            }

            var snapshot = new Snapshot(keys.ToFrozenDictionary(StringComparer.Ordinal), fileKeys, now);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<Dictionary<string, ECParameters>?> LoadFileAsync(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxDocumentBytes)
            {
                throw new InvalidDataException($"The file is larger than {MaxDocumentBytes} bytes.");
            }

            var keys = Parse(await File.ReadAllBytesAsync(path).ConfigureAwait(false));
            SecretScanningLog.PublicKeysLoaded(_logger, keys.Count, path);
            return keys;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            SecretScanningLog.PublicKeysFailed(_logger, path, ex);
            return null;
        }
    }

    private async Task LoadUrlAsync(Uri url)
    {
        var origin = url.GetLeftPart(UriPartial.Path);
        try
        {
            using var timeout = new CancellationTokenSource(FetchTimeout, _time);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            if (_urlETag is not null)
            {
                request.Headers.IfNoneMatch.Add(_urlETag);
            }

            var client = _httpClients.CreateClient(GitHubSecretScanningOptions.HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified && _urlETag is not null)
            {
                SecretScanningLog.PublicKeysNotModified(_logger, origin);
                return;
            }

            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                throw new InvalidDataException($"The document is larger than {MaxDocumentBytes} bytes.");
            }

            var body = await ReadBoundedAsync(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), timeout.Token).ConfigureAwait(false);
            _urlKeys = Parse(body).ToFrozenDictionary(StringComparer.Ordinal);
            _urlETag = response.Headers.ETag;
            SecretScanningLog.PublicKeysLoaded(_logger, _urlKeys.Count, origin);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or JsonException or InvalidDataException)
        {
            SecretScanningLog.PublicKeysFailed(_logger, origin, ex);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxDocumentBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total > MaxDocumentBytes ? throw new InvalidDataException($"The document is larger than {MaxDocumentBytes} bytes.") : buffer[..total];
        }
    }

    /// <summary>The usable P-256 keys of a document in GitHub's format; other entries are skipped with a warning.</summary>
    private Dictionary<string, ECParameters> Parse(byte[] document)
    {
        var parsed = JsonSerializer.Deserialize(document, SecretScanningJsonContext.Read<GitHubPublicKeysDocument>())
            ?? throw new InvalidDataException("The document is not a JSON object.");
        var keys = new Dictionary<string, ECParameters>(StringComparer.Ordinal);
        foreach (var entry in parsed.PublicKeys ?? [])
        {
            if (entry.KeyIdentifier is not { Length: > 0 and <= MaxIdentifierLength } id || entry.Key is not { Length: > 0 } pem)
            {
                SecretScanningLog.PublicKeySkipped(_logger, "no key_identifier or key");
                continue;
            }

            try
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(pem);
                var parameters = key.ExportParameters(includePrivateParameters: false);
                if (!IsP256(parameters.Curve))
                {
                    SecretScanningLog.PublicKeySkipped(_logger, "not a P-256 key");
                    continue;
                }

                keys[id] = parameters;
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                SecretScanningLog.PublicKeySkipped(_logger, "not a PEM-encoded ECDSA public key");
            }
        }

        return keys;
    }

    // Platforms name the curve differently (OpenSSL by OID, CNG may give only a friendly name).
    private static bool IsP256(ECCurve curve) =>
        curve.IsNamed && (curve.Oid.Value == NistP256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1");

    public void Dispose() => _refresh.Dispose();

    private sealed record Snapshot(FrozenDictionary<string, ECParameters> Keys, FrozenDictionary<string, ECParameters> FileKeys, DateTimeOffset LoadedAt);
}

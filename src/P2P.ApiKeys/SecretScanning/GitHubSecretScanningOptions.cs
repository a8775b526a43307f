namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// Where the public keys that sign GitHub's secret-scanning reports come from. The GitHub endpoint is mapped only when
/// <see cref="PublicKeysFile"/> or <see cref="PublicKeysUrl"/> is set.
/// </summary>
public sealed class GitHubSecretScanningOptions
{
    /// <summary>GitHub's published signing keys for secret-scanning reports.</summary>
    public const string DefaultPublicKeysUrl = "https://api.github.com/meta/public_keys/secret_scanning";

    /// <summary>
    /// The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client that fetches <see cref="PublicKeysUrl"/>:
    /// configure it (<c>services.AddHttpClient(HttpClientName)</c>) for a proxy, a GitHub token or resilience.
    /// </summary>
    public const string HttpClientName = "P2P.ApiKeys.SecretScanning.GitHub";

    /// <summary>
    /// A JSON file in GitHub's format, <c>{"public_keys": [{"key_identifier": "…", "key": "-----BEGIN PUBLIC KEY-----…",
    /// "is_current": true}]}</c>: a copy of <see cref="DefaultPublicKeysUrl"/> for a host without outbound network, or
    /// your own key for local tests. Read at the first report and again when a report names an unknown key (at most once
    /// a minute). Must exist at start-up when set.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/>.</remarks>
    public string? PublicKeysFile { get; set; }

    /// <summary>
    /// Where to fetch the keys, usually <see cref="DefaultPublicKeysUrl"/>; https (http only on loopback). Fetched at the
    /// first report, cached, and fetched again (conditionally, with the ETag) when a report names an unknown key, at
    /// most once a minute, and when the copy is a day old. A failed fetch keeps the keys it had.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/> (no network).</remarks>
    public Uri? PublicKeysUrl { get; set; }
}

using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// How leaked keys reported by a secret scanner are handled: GitHub's secret-scanning partner program and GitLab's
/// Token Revocation API. Validated at start-up. See <c>docs/secret-scanning.md</c>.
/// </summary>
public sealed class SecretScanningOptions
{
    /// <summary>Largest request body accepted by <see cref="MaxRequestBodyBytes"/>.</summary>
    public const int MaxRequestBodyBytesLimit = 16 * 1024 * 1024;

    /// <summary>Longest token type accepted.</summary>
    public const int MaxTokenTypeLength = 100;

    /// <summary>GitHub: where the keys that sign its reports come from.</summary>
    public GitHubSecretScanningOptions GitHub { get; } = new();

    /// <summary>GitLab: the shared secret and token type of its Token Revocation API.</summary>
    public GitLabSecretScanningOptions GitLab { get; } = new();

    /// <summary>What happens to a reported key that is one of ours.</summary>
    /// <remarks>Defaults to <see cref="SecretScanningAction.Revoke"/>.</remarks>
    public SecretScanningAction Action { get; set; } = SecretScanningAction.Revoke;

    /// <summary>
    /// The name of the token type registered with the scanner: GitHub's <c>type</c> and the type answered with each
    /// label; GitLab's too unless <see cref="GitLabSecretScanningOptions.TokenType"/> is set.
    /// </summary>
    /// <remarks>Defaults to <c>p2p_api_key</c>.</remarks>
    public string TokenType { get; set; } = "p2p_api_key";

    /// <summary>Largest report body read, in bytes; a larger one gets 413 and nothing is done.</summary>
    /// <remarks>Defaults to 1 MiB (a report of 1,000 matches is about 250 KB).</remarks>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most matches in one report; more get 400 and nothing is done.</summary>
    /// <remarks>Defaults to 1,000.</remarks>
    public int MaxMatches { get; set; } = 1000;

    /// <summary>
    /// Requests each client address may send to the endpoints of one scanner per window, counted before the signature
    /// or secret is checked; beyond it 429 with <c>Retry-After</c>. <see langword="null"/> turns the limit off.
    /// </summary>
    /// <remarks>Defaults to 60 per minute.</remarks>
    public ApiKeyRateLimit? RateLimit { get; set; } = new(60, TimeSpan.FromMinutes(1));
}

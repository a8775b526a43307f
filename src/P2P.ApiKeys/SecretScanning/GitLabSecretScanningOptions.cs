namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// GitLab's Token Revocation API (<c>GET /v1/revocable_token_types</c>, <c>POST /v1/revoke_tokens</c>), which a GitLab
/// Self-Managed instance calls with its secret-detection findings. Mapped only when <see cref="SharedSecret"/> is set.
/// </summary>
public sealed class GitLabSecretScanningOptions
{
    /// <summary>Shortest shared secret accepted.</summary>
    public const int MinSharedSecretLength = 32;

    /// <summary>
    /// The token GitLab sends in the <c>Authorization</c> header (its <c>secret_detection_token_revocation_token</c>
    /// setting); at least <see cref="MinSharedSecretLength"/> characters, e.g. <c>openssl rand -base64 32</c>.
    /// Compared in constant time.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/> (GitLab endpoints not mapped).</remarks>
    public string? SharedSecret { get; set; }

    /// <summary>
    /// The token type GitLab names in <c>revoke_tokens</c> and that <c>revocable_token_types</c> lists: GitLab builds it
    /// from the secret-detection rule (<c>gitleaks_rule_id_</c> and the rule's name, lower case, words joined by
    /// <c>_</c>). A report with another type is refused (400), as GitLab's API specifies.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/>: <see cref="SecretScanningOptions.TokenType"/>.</remarks>
    public string? TokenType { get; set; }
}

using System.Net;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>Fails start-up with one message per wrong <see cref="SecretScanningOptions"/> setting.</summary>
internal sealed class SecretScanningOptionsValidator : IValidateOptions<SecretScanningOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretScanningOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Action))
        {
            failures.Add("SecretScanning:Action must be revoke, disable or report.");
        }

        CheckTokenType("SecretScanning:TokenType", options.TokenType, failures);
        if (options.GitLab.TokenType is not null)
        {
            CheckTokenType("SecretScanning:GitLab:TokenType", options.GitLab.TokenType, failures);
        }

        if (options.MaxRequestBodyBytes is < 1024 or > SecretScanningOptions.MaxRequestBodyBytesLimit)
        {
            failures.Add($"SecretScanning:MaxRequestBodyBytes must be between 1024 and {SecretScanningOptions.MaxRequestBodyBytesLimit}.");
        }

        if (options.MaxMatches is < 1 or > 100_000)
        {
            failures.Add("SecretScanning:MaxMatches must be between 1 and 100000.");
        }

        if (options.GitHub.PublicKeysFile is { Length: > 0 } file && !File.Exists(file))
        {
            failures.Add($"SecretScanning:GitHub:PublicKeysFile names a file that does not exist: {file}");
        }

        if (options.GitHub.PublicKeysUrl is { } url
            && !(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)))))
        {
            failures.Add("SecretScanning:GitHub:PublicKeysUrl must be an absolute https URL (http only on loopback).");
        }

        if (options.GitLab.SharedSecret is { } secret && secret.Trim().Length < GitLabSecretScanningOptions.MinSharedSecretLength)
        {
            failures.Add($"SecretScanning:GitLab:SharedSecret must be at least {GitLabSecretScanningOptions.MinSharedSecretLength} characters (e.g. openssl rand -base64 32).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTokenType(string setting, string? value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > SecretScanningOptions.MaxTokenTypeLength || value.Any(char.IsControl))
        {
            failures.Add($"{setting} must be 1 to {SecretScanningOptions.MaxTokenTypeLength} characters without control characters.");
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

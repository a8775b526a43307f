namespace P2P.Dashboard.Configuration;

/// <summary>Where the dashboard finds the API and which key it sends.</summary>
/// <remarks>
/// <see cref="ToString"/> is overridden so that a settings object that ends up in a log or an
/// exception message never carries the secret part of the key.
/// </remarks>
public sealed class DashboardSettings
{
    public DashboardSettings(string? apiKey, Uri apiBaseUrl, string? envFilePath, string? apiBaseUrlError = null)
    {
        ApiBaseUrlError = apiBaseUrlError;
        ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
        ApiBaseUrl = apiBaseUrl;
        EnvFilePath = envFilePath;
        KeyStatus = ApiKeyShape.Classify(ApiKey);
    }

    /// <summary>The full key. Sent in <c>X-API-Key</c> by the server only; never rendered, never logged.</summary>
    public string? ApiKey { get; }

    public Uri ApiBaseUrl { get; }

    /// <summary>The <c>.env</c> file that was read, or <see langword="null"/> when none was found.</summary>
    public string? EnvFilePath { get; }

    public ApiKeyStatus KeyStatus { get; }

    /// <summary>Why <c>API_BASE_URL</c> could not be used, or <see langword="null"/> when it is fine.</summary>
    public string? ApiBaseUrlError { get; }

    /// <summary>Whether the data pages can work: a key of the right shape and a usable API URL.</summary>
    public bool IsUsable => KeyStatus == ApiKeyStatus.Present && ApiBaseUrlError is null;

    /// <summary>The public part of the key (<c>p2p_</c> + lookup id), safe to show and log.</summary>
    public string? KeyPublicPart => KeyStatus == ApiKeyStatus.Present ? ApiKeyShape.PublicPart(ApiKey!) : null;

    public override string ToString() =>
        $"API {ApiBaseUrl}, key {KeyPublicPart ?? KeyStatus.ToString()}";
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>One match in a GitHub report: <c>{"token", "type", "url", "source"}</c>.</summary>
internal sealed class GitHubTokenMatch
{
    [JsonPropertyName("token")]
    [JsonRequired]
    public string Token { get; set; } = "";

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }
}

/// <summary>One label in the answer to GitHub: the token's SHA-256 (hex), never the token.</summary>
internal sealed class GitHubTokenLabel
{
    public const string TruePositive = "true_positive";
    public const string FalsePositive = "false_positive";

    [JsonPropertyName("token_hash")]
    public required string TokenHash { get; init; }

    [JsonPropertyName("token_type")]
    public required string TokenType { get; init; }

    [JsonPropertyName("label")]
    public required string Label { get; init; }
}

/// <summary>One token in GitLab's <c>revoke_tokens</c>: <c>{"type", "token", "location"}</c>.</summary>
internal sealed class GitLabRevocableToken
{
    [JsonPropertyName("type")]
    [JsonRequired]
    public string Type { get; set; } = "";

    [JsonPropertyName("token")]
    [JsonRequired]
    public string Token { get; set; } = "";

    [JsonPropertyName("location")]
    public string? Location { get; set; }
}

/// <summary>GitLab's <c>revocable_token_types</c> answer.</summary>
internal sealed class GitLabTokenTypes
{
    [JsonPropertyName("types")]
    public required IReadOnlyList<string> Types { get; init; }
}

/// <summary>GitHub's published keys: <c>{"public_keys": [{"key_identifier", "key", "is_current"}]}</c>.</summary>
internal sealed class GitHubPublicKeysDocument
{
    [JsonPropertyName("public_keys")]
    public List<GitHubPublicKeyEntry>? PublicKeys { get; set; }
}

internal sealed class GitHubPublicKeyEntry
{
    [JsonPropertyName("key_identifier")]
    public string? KeyIdentifier { get; set; }

    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("is_current")]
    public bool IsCurrent { get; set; }
}

[JsonSerializable(typeof(List<GitHubTokenMatch>))]
[JsonSerializable(typeof(List<GitHubTokenLabel>))]
[JsonSerializable(typeof(List<GitLabRevocableToken>))]
[JsonSerializable(typeof(GitLabTokenTypes))]
[JsonSerializable(typeof(GitHubPublicKeysDocument))]
internal sealed partial class SecretScanningJsonContext : JsonSerializerContext
{
    /// <summary>Options over <see cref="Default"/> for reading what scanners send.</summary>
    public static JsonSerializerOptions Reading => ReadingOptions.Instance;

    public static JsonTypeInfo<T> Read<T>() => (JsonTypeInfo<T>)Reading.GetTypeInfo(typeof(T));

    // Its own class, so that it is built after Default (static initializers of partial classes have no set order).
    private static class ReadingOptions
    {
        /// <summary>
        /// Strict where it matters (no duplicate members, numbers as numbers, shallow) and open to members a scanner may add
        /// later, so a new field in GitHub's format does not turn every report into a 400.
        /// </summary>
        public static readonly JsonSerializerOptions Instance = new(JsonSerializerDefaults.General)
        {
            TypeInfoResolver = Default,
            PropertyNameCaseInsensitive = false,
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            MaxDepth = 8,
        };
    }
}

using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Cli.Files;

/// <summary>The contents of the credentials file.</summary>
internal sealed record StoredCredentials(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("username")] string UserName,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt)
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"StoredCredentials {{ Url = {Url}, UserName = {UserName}, ExpiresAt = {ExpiresAt:O} }}";
}

using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>Answer of <c>POST /admin/token</c>, in the OAuth2 token-response shape.</summary>
public sealed class AdminTokenResponse
{
    /// <summary>The admin JWT, to send as <c>Authorization: Bearer</c>.</summary>
    [JsonPropertyName("access_token")]
    public string AccessToken { get; init; } = "";

    /// <summary>Always <c>bearer</c>.</summary>
    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "bearer";

    /// <summary>Seconds until the token expires.</summary>
    [JsonPropertyName("expires_in")]
    public long ExpiresIn { get; init; }
}

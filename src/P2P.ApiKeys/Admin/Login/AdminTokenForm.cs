using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>The form of <c>POST /admin/token</c>; describes the request body in OpenAPI only.</summary>
/// <remarks>
/// The default on <c>grant_type</c> matters: without it Swagger UI's "Try it out" pre-fills the literal
/// "string", and the login fails with 400.
/// </remarks>
public sealed class AdminTokenForm
{
    /// <summary>Optional; if sent, it must be 'password' (OAuth2 password grant).</summary>
    [JsonPropertyName("grant_type")]
    [DefaultValue("password")]
    [Description("Optional; if sent, it must be 'password' (OAuth2 password grant).")]
    public string? GrantType { get; init; }

    /// <summary>The admin's user name.</summary>
    [JsonPropertyName("username")]
    [Required]
    public string UserName { get; init; } = "";

    /// <summary>The admin's password.</summary>
    [JsonPropertyName("password")]
    [Required]
    public string Password { get; init; } = "";
}

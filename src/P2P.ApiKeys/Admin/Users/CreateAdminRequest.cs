using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>Body of <c>POST /admin/users/</c>.</summary>
public sealed class CreateAdminRequest
{
    /// <summary>The new admin's user name.</summary>
    [JsonPropertyName("username")]
    public string? UserName { get; init; }

    /// <summary>The new admin's password; must meet the password policy.</summary>
    [JsonPropertyName("password")]
    public string? Password { get; init; }
}

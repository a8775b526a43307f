using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>Body of <c>POST /admin/users/me/password</c>.</summary>
public sealed class ChangePasswordRequest
{
    /// <summary>The caller's current password.</summary>
    [JsonPropertyName("current_password")]
    public string? CurrentPassword { get; init; }

    /// <summary>The new password; must meet the password policy.</summary>
    [JsonPropertyName("new_password")]
    public string? NewPassword { get; init; }
}

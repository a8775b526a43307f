using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

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

/// <summary>An admin account as the API shows it: never its password hash, stamps or lockout state.</summary>
public sealed class AdminUserResponse
{
    /// <summary>The admin's id.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    /// <summary>The admin's user name.</summary>
    [JsonPropertyName("username")]
    public string UserName { get; init; } = "";

    /// <summary>When the account was created.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    internal static AdminUserResponse From(AdminUser user) => new() { Id = user.Id, UserName = user.UserName, CreatedAt = user.CreatedAt };
}

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

/// <summary>One page of a list.</summary>
/// <typeparam name="T">The type of the items.</typeparam>
public sealed class PagedResponse<T>
{
    /// <summary>The items of this page.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<T> Items { get; init; } = [];

    /// <summary>The page number, from 1.</summary>
    [JsonPropertyName("page")]
    public int Page { get; init; }

    /// <summary>The largest number of items a page holds.</summary>
    [JsonPropertyName("page_size")]
    public int PageSize { get; init; }

    /// <summary>The number of items on all pages.</summary>
    [JsonPropertyName("total")]
    public long Total { get; init; }
}

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

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary>Body of <c>POST /admin/users/</c>.</summary>
internal sealed class CreateAdminRequest
{
    [JsonPropertyName("username")]
    public string? UserName { get; init; }

    [JsonPropertyName("password")]
    public string? Password { get; init; }
}

/// <summary>Body of <c>POST /admin/users/me/password</c>.</summary>
internal sealed class ChangePasswordRequest
{
    [JsonPropertyName("current_password")]
    public string? CurrentPassword { get; init; }

    [JsonPropertyName("new_password")]
    public string? NewPassword { get; init; }
}

/// <summary>An admin account as the API shows it: never its password hash, stamps or lockout state.</summary>
internal sealed class AdminUserResponse
{
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    [JsonPropertyName("username")]
    public string UserName { get; init; } = "";

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    public static AdminUserResponse From(AdminUser user) => new() { Id = user.Id, UserName = user.UserName, CreatedAt = user.CreatedAt };
}

/// <summary>Answer of <c>POST /admin/token</c>, in the OAuth2 token-response shape.</summary>
internal sealed class AdminTokenResponse
{
    [JsonPropertyName("access_token")]
    public string AccessToken { get; init; } = "";

    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "bearer";

    [JsonPropertyName("expires_in")]
    public long ExpiresIn { get; init; }
}

/// <summary>One page of a list.</summary>
internal sealed class PagedResponse<T>
{
    [JsonPropertyName("items")]
    public IReadOnlyList<T> Items { get; init; } = [];

    [JsonPropertyName("page")]
    public int Page { get; init; }

    [JsonPropertyName("page_size")]
    public int PageSize { get; init; }

    [JsonPropertyName("total")]
    public long Total { get; init; }
}

/// <summary>The form of <c>POST /admin/token</c>; describes the request body in OpenAPI only.</summary>
/// <remarks>
/// The default on <c>grant_type</c> matters: without it Swagger UI's "Try it out" pre-fills the literal
/// "string", and the login fails with 400.
/// </remarks>
internal sealed class AdminTokenForm
{
    [JsonPropertyName("grant_type")]
    [DefaultValue("password")]
    [Description("Optional; if sent, it must be 'password' (OAuth2 password grant).")]
    public string? GrantType { get; init; }

    [JsonPropertyName("username")]
    [Required]
    public string UserName { get; init; } = "";

    [JsonPropertyName("password")]
    [Required]
    public string Password { get; init; } = "";
}

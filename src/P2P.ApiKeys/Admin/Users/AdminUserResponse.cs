using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Users;

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

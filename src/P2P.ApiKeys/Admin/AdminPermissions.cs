namespace P2P.ApiKeys.Admin;

/// <summary>
/// The admin permissions an API key may carry as scopes, so that automation (a deploy script, a customer-portal
/// backend) calls the admin endpoints with its own key instead of an admin password. An admin token holds them all.
/// </summary>
/// <remarks>
/// A key with admin permissions must expire within <see cref="MaxKeyLifetime"/>; only a caller that holds a permission
/// (an admin token, or a key that has it) can give it to a key, and only a caller that holds every permission can create
/// an admin.
/// </remarks>
public static class AdminPermissions
{
    /// <summary>Every admin permission starts with this prefix; no other scope may use it.</summary>
    public const string Prefix = "admin:";

    /// <summary>List and read keys: <c>GET /admin/keys/</c>, <c>GET /admin/keys/{id}</c>.</summary>
    public const string KeysRead = "admin:keys:read";

    /// <summary>Create, change, revoke and rotate keys.</summary>
    public const string KeysWrite = "admin:keys:write";

    /// <summary>List, create and delete admins (creating one needs every permission).</summary>
    public const string UsersWrite = "admin:users:write";

    /// <summary>Read the audit trail: <c>GET /admin/audit</c>.</summary>
    public const string AuditRead = "admin:audit:read";

    /// <summary>The longest life of a key with admin permissions: 366 days from its creation or change.</summary>
    public static readonly TimeSpan MaxKeyLifetime = TimeSpan.FromDays(366);

    /// <summary>Every admin permission.</summary>
    public static IReadOnlyList<string> All { get; } = [KeysRead, KeysWrite, UsersWrite, AuditRead];
}

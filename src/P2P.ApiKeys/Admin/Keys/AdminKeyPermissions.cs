using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// What a caller may do to keys with admin permissions (docs/security.md rule 30): give only the permissions it holds, manage
/// (change, revoke, rotate) only keys whose permissions it holds, and never leave a key with admin permissions without an
/// expiry within <see cref="AdminPermissions.MaxKeyLifetime"/>.
/// </summary>
internal static class AdminKeyPermissions
{
    /// <summary>The 403 detail when <paramref name="caller"/> would grant permissions it lacks; <see langword="null"/> when it may.</summary>
    public static string? RefuseGrant(AdminCaller caller, IEnumerable<string?>? scopes) =>
        scopes is not null && caller.MissingFor(scopes) is { Count: > 0 } missing
            ? $"A key can only give the admin permissions its caller holds; missing: {string.Join(", ", missing)}."
            : null;

    /// <summary>The 403 detail when <paramref name="caller"/> may not manage <paramref name="key"/>; <see langword="null"/> when it may.</summary>
    public static string? RefuseManage(AdminCaller caller, ApiKeyRecord key) =>
        caller.MissingFor(key.Scopes) is { Count: > 0 } missing
            ? $"This key holds admin permissions the caller does not ({string.Join(", ", missing)}); only a caller that holds them can change, revoke or rotate it."
            : null;

    /// <summary>
    /// Adds errors when <paramref name="scopes"/> name an admin permission that does not exist, or hold one and
    /// <paramref name="expiresAt"/> is missing or more than <see cref="AdminPermissions.MaxKeyLifetime"/> away.
    /// </summary>
    public static void Check(IEnumerable<string?> scopes, DateTimeOffset? expiresAt, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var admin = scopes.OfType<string>().Where(s => s.StartsWith(AdminPermissions.Prefix, StringComparison.Ordinal)).ToList();
        if (admin.Find(s => !AdminPermissions.All.Contains(s, StringComparer.Ordinal)) is { } unknown)
        {
            errors[ApiKeyRules.ScopesField] = [$"Unknown admin permission '{unknown}'. Admin permissions: {string.Join(", ", AdminPermissions.All)}."];
            return;
        }

        if (admin.Count > 0 && (expiresAt is not { } expiry || expiry > now + AdminPermissions.MaxKeyLifetime))
        {
            errors[ApiKeyRules.ExpiresAtField] = [$"A key with admin permissions must expire within {AdminPermissions.MaxKeyLifetime.TotalDays:0} days: set expires_at."];
        }
    }
}

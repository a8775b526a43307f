using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Who calls an admin route: an admin (admin token: every permission), an API key with admin permissions (the
/// permissions among its scopes), or nobody. Read from the request's principal; the audit actor comes from it.
/// </summary>
internal sealed class AdminCaller
{
    private static readonly AdminCaller Anonymous = new(null, null, null, null, []);

    private AdminCaller(Guid? adminId, string? adminName, Guid? keyId, string? keyOwner, IReadOnlyCollection<string> permissions)
    {
        AdminId = adminId;
        AdminName = adminName;
        KeyId = keyId;
        KeyOwner = keyOwner;
        Permissions = permissions;
    }

    /// <summary>The admin's id when an admin token was sent.</summary>
    public Guid? AdminId { get; }

    /// <summary>The admin's user name when an admin token was sent.</summary>
    public string? AdminName { get; }

    /// <summary>The key's id when an API key was sent.</summary>
    public Guid? KeyId { get; }

    /// <summary>The owner of the key when an API key was sent.</summary>
    public string? KeyOwner { get; }

    /// <summary>The owner of a key this caller creates: the admin's user name, or the calling key's own owner.</summary>
    public string? OwnerOfNewKeys => AdminName ?? KeyOwner;

    /// <summary>The admin permissions the caller holds.</summary>
    public IReadOnlyCollection<string> Permissions { get; }

    public bool IsAdmin => AdminId is not null;

    public bool IsAdminKey => KeyId is not null;

    /// <summary>The audit trail's actor; <see langword="null"/> for an anonymous caller.</summary>
    public AuditActor? Actor =>
        AdminName is not null ? AuditActor.Admin(AdminName) : KeyId is { } keyId ? AuditActor.AdminKey(keyId) : null;

    public bool Holds(string permission) => Permissions.Contains(permission, StringComparer.Ordinal);

    /// <summary>
    /// The admin permissions among <paramref name="scopes"/> that the caller does not hold (a key never grants those). A
    /// scope that only looks like one (<c>admin:</c> prefix, no such permission) is not counted: it is invalid input.
    /// </summary>
    public List<string> MissingFor(IEnumerable<string?> scopes) =>
        [.. scopes.OfType<string>().Where(s => AdminPermissions.All.Contains(s, StringComparer.Ordinal) && !Holds(s)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The 403 detail when this caller may not create an admin: an admin holds every permission, so only a caller that
    /// holds them all may make one (docs/security.md rule 30). <see langword="null"/> when it may (an admin, a key with all of
    /// them, or the anonymous bootstrap, which the store settles).
    /// </summary>
    public string? RefuseCreatingAdmin() =>
        IsAdminKey && MissingFor(AdminPermissions.All) is { Count: > 0 } missing
            ? $"Creating an admin needs an API key that holds every admin permission; this key lacks {string.Join(", ", missing)}."
            : null;

    public static AdminCaller From(ClaimsPrincipal principal)
    {
        foreach (var identity in principal.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            if (string.Equals(identity.AuthenticationType, AdminDefaults.AuthenticationScheme, StringComparison.Ordinal)
                && Guid.TryParse(identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value, out var adminId))
            {
                return new AdminCaller(adminId, identity.FindFirst(JwtRegisteredClaimNames.Name)?.Value, null, null, AdminPermissions.All);
            }

            if (Guid.TryParse(identity.FindFirst(ApiKeyClaimTypes.KeyId)?.Value, out var keyId))
            {
                var permissions = identity.FindAll(ApiKeyClaimTypes.Scope)
                    .Select(c => c.Value)
                    .Where(s => AdminPermissions.All.Contains(s, StringComparer.Ordinal))
                    .ToHashSet(StringComparer.Ordinal);
                return new AdminCaller(null, null, keyId, identity.FindFirst(ApiKeyClaimTypes.Owner)?.Value, permissions);
            }
        }

        return Anonymous;
    }
}

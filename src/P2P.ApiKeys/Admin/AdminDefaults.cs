namespace P2P.ApiKeys.Admin;

/// <summary>Names used by the admin endpoints: authentication scheme, authorization policies, token type, tags.</summary>
public static class AdminDefaults
{
    /// <summary>The JWT bearer scheme that authenticates admin tokens: <c>AdminBearer</c>.</summary>
    public const string AuthenticationScheme = "AdminBearer";

    /// <summary>
    /// The authentication scheme of the admin routes that accept an admin token or an API key with admin permissions: a
    /// policy scheme that forwards to <see cref="AuthenticationScheme"/>, or to the API-key scheme when the request carries an
    /// API key (and no bearer token).
    /// </summary>
    public const string CredentialsScheme = "P2P.ApiKeys.AdminCredentials";

    /// <summary>
    /// The policy of routes that an admin token opens and no API key does (changing one's own password): an
    /// authenticated user of <see cref="AuthenticationScheme"/> and no other scheme.
    /// </summary>
    public const string AuthorizationPolicy = "P2P.ApiKeys.Admin";

    /// <summary>
    /// The prefix of the per-permission policies (<c>P2P.ApiKeys.Admin:admin:keys:read</c> …): met by an admin token, or by
    /// an API key that carries the permission (<see cref="AdminPermissions"/>).
    /// </summary>
    public const string PermissionPolicyPrefix = "P2P.ApiKeys.Admin:";

    /// <summary>
    /// The <c>typ</c> header of admin tokens. Validation accepts this type only, so no other JWT the host may
    /// issue (and no API key) is ever taken for an admin token.
    /// </summary>
    public const string TokenType = "p2p-admin+jwt";

    /// <summary>The claim that carries the admin's security stamp; a password change or deletion invalidates the token.</summary>
    public const string SecurityStampClaimType = "p2p_sst";

    /// <summary>OpenAPI tag of the admin user and login endpoints.</summary>
    public const string UserManagementTag = "Admin User Management";

    /// <summary>OpenAPI tag of the API-key endpoints.</summary>
    public const string KeyManagementTag = "Admin API Key Management";

    /// <summary>OpenAPI tag of the audit-trail endpoint.</summary>
    public const string AuditTag = "Admin Audit";

    /// <summary>The policy name of one permission: <see cref="PermissionPolicyPrefix"/> followed by the permission.</summary>
    /// <param name="permission">One of <see cref="AdminPermissions"/>.</param>
    /// <returns>The policy name.</returns>
    public static string PermissionPolicy(string permission) => PermissionPolicyPrefix + permission;
}

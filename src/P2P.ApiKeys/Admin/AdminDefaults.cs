namespace P2P.ApiKeys;

/// <summary>Names used by the admin endpoints: authentication scheme, authorization policy, token type.</summary>
public static class AdminDefaults
{
    /// <summary>The JWT bearer scheme that authenticates admin tokens: <c>AdminBearer</c>.</summary>
    public const string AuthenticationScheme = "AdminBearer";

    /// <summary>
    /// The authorization policy every protected admin route requires: an authenticated user of
    /// <see cref="AuthenticationScheme"/> and no other scheme.
    /// </summary>
    public const string AuthorizationPolicy = "P2P.ApiKeys.Admin";

    /// <summary>
    /// The <c>typ</c> header of admin tokens. Validation accepts this type only, so no other JWT the host may
    /// issue (and no API key) is ever taken for an admin token.
    /// </summary>
    public const string TokenType = "p2p-admin+jwt";

    /// <summary>The claim that carries the admin's security stamp; a password change or deletion invalidates the token.</summary>
    public const string SecurityStampClaimType = "p2p_sst";

    /// <summary>OpenAPI tag of the admin user, login and audit endpoints.</summary>
    public const string UserManagementTag = "Admin User Management";

    /// <summary>OpenAPI tag of the API-key endpoints.</summary>
    public const string KeyManagementTag = "Admin API Key Management";

    /// <summary>OpenAPI tag of the audit-trail endpoint.</summary>
    public const string AuditTag = "Admin Audit";
}

namespace P2P.ApiKeys.Admin;

/// <summary>Which groups of admin endpoints <c>MapAdminEndpoints</c> maps.</summary>
[Flags]
public enum AdminEndpointGroups
{
    /// <summary>No endpoints.</summary>
    None = 0,

    /// <summary><c>/users</c>: first-admin bootstrap, create, list and delete admins, change one's password.</summary>
    Users = 1,

    /// <summary><c>/token</c>: admin login (OAuth2 password-grant shape).</summary>
    Token = 2,

    /// <summary><c>/keys</c>: create, list, read, revoke and rotate API keys.</summary>
    Keys = 4,

    /// <summary><c>/audit</c>: the audit trail of admin actions.</summary>
    Audit = 8,

    /// <summary>Every group.</summary>
    All = Users | Token | Keys | Audit,
}

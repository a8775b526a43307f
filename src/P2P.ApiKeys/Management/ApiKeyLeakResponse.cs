namespace P2P.ApiKeys.Management;

/// <summary>What <see cref="IApiKeyManager.ReportLeakAsync"/> does to a key reported as leaked.</summary>
public enum ApiKeyLeakResponse
{
    /// <summary>Nothing: only the audit entry says the key leaked.</summary>
    Report = 0,

    /// <summary>Disable the key (it can be enabled again).</summary>
    Disable,

    /// <summary>Revoke the key.</summary>
    Revoke,
}

namespace P2P.ApiKeys.Management;

/// <summary>Why an <see cref="IApiKeyManager"/> call did not succeed.</summary>
public enum ApiKeyError
{
    /// <summary>It succeeded.</summary>
    None = 0,

    /// <summary>No key has that id.</summary>
    NotFound,

    /// <summary>The input broke a rule; <see cref="ApiKeyResult{T}.Errors"/> says which, per field.</summary>
    Invalid,

    /// <summary>The key is not in a state that allows the change (revoked, already rotated …), or another change won a race.</summary>
    Conflict,
}

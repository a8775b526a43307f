namespace P2P.ApiKeys.Stores;

/// <summary>The lifecycle state of a key at a given instant, for filtering lists.</summary>
public enum ApiKeyState
{
    /// <summary>Neither revoked nor expired (a disabled key is still active: it can be enabled again).</summary>
    Active = 1,

    /// <summary>Revoked (a scheduled revocation counts once its time has come).</summary>
    Revoked,

    /// <summary>Expired and not revoked.</summary>
    Expired,
}

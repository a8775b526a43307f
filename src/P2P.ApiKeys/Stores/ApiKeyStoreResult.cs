namespace P2P.ApiKeys.Stores;

/// <summary>
/// How a write to a P2P.ApiKeys store ended: the one result shape of <see cref="IApiKeyStore"/> and
/// <see cref="IAdminUserStore"/>. Expected outcomes are results; failures of the store itself are exceptions.
/// </summary>
public enum ApiKeyStoreResult
{
    /// <summary>The write was applied.</summary>
    Success = 0,

    /// <summary>No record has that id; nothing was written.</summary>
    NotFound,

    /// <summary>
    /// The record is not in the state the write starts from: it changed since it was read (its concurrency stamp
    /// differs), a key was already replaced by a rotation, an admin exists when a first-admin bootstrap was asked for,
    /// or the admin is the last one. Nothing was written.
    /// </summary>
    Conflict,

    /// <summary>A record with the same id or unique name (a key's lookup id, an admin's user name) exists; nothing was written.</summary>
    Duplicate,
}

namespace P2P.ApiKeys.Stores;

/// <summary>How a write to an <see cref="IApiKeyStore"/> ended. Failures of the store itself are exceptions.</summary>
public enum ApiKeyStoreResult
{
    /// <summary>The write was applied.</summary>
    Success = 0,

    /// <summary>No key has that id; nothing was written.</summary>
    NotFound,

    /// <summary>
    /// The key changed since it was read (its <see cref="ApiKeyRecord.ConcurrencyStamp"/> differs), or it was already
    /// replaced by a rotation; nothing was written.
    /// </summary>
    Conflict,

    /// <summary>A key with the same id or lookup id exists; nothing was written.</summary>
    Duplicate,
}

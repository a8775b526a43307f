namespace P2P.ApiKeys.Authentication;

/// <summary>Why a presented API key was refused.</summary>
public enum ApiKeyValidationFailure
{
    /// <summary>Not a well-formed key of the configured format (wrong length, prefix, characters or checksum), or several keys were sent.</summary>
    Malformed = 1,

    /// <summary>Well-formed, but no stored key has its lookup id.</summary>
    Unknown,

    /// <summary>The key was revoked.</summary>
    Revoked,

    /// <summary>The key expired.</summary>
    Expired,

    /// <summary>The lookup id is known but the secret does not match.</summary>
    InvalidSecret,

    /// <summary>The key store could not be reached; the request is refused with 503 (fail closed).</summary>
    StoreUnavailable,

    /// <summary>The key is disabled; it can be enabled again.</summary>
    Disabled,

    /// <summary>
    /// The key is not cached and the client has used up its store lookups (<c>ApiKeyRateLimitOptions.ClientLookupLimit</c>);
    /// the request is refused with 429 without asking the store.
    /// </summary>
    ClientThrottled,
}

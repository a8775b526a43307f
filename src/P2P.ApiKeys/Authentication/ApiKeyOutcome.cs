namespace P2P.ApiKeys.Authentication;

/// <summary>
/// How one request with an API key ended, at the stage that decided it: the one outcome type of the pipeline.
/// <see cref="ApiKeyOutcomes"/> holds what each one answers, logs and counts.
/// </summary>
internal enum ApiKeyOutcome
{
    /// <summary>Verification: the key is valid; authorization and limits come next.</summary>
    Verified = 0,

    /// <summary>Verification: no key was presented.</summary>
    Missing,

    /// <summary>Verification: not a key of the configured format, or several keys.</summary>
    Malformed,

    /// <summary>Verification: well formed, no stored key has its lookup id.</summary>
    Unknown,

    /// <summary>Verification: a known lookup id with a wrong secret.</summary>
    InvalidSecret,

    /// <summary>Verification: a known key, revoked (or its rotation grace ended).</summary>
    Revoked,

    /// <summary>Verification: a known key past its expiry.</summary>
    Expired,

    /// <summary>Verification: a known key that is disabled.</summary>
    Disabled,

    /// <summary>Verification: the store failed; the request is refused (fail closed).</summary>
    StoreUnavailable,

    /// <summary>Verification: the client's budget of store lookups is spent.</summary>
    ClientThrottled,

    /// <summary>Authorization: a valid key without a scope the endpoint requires.</summary>
    Forbidden,

    /// <summary>Limits: the key's request was admitted (and counted) and the endpoint runs.</summary>
    Allowed,

    /// <summary>Limits: the key's rate limit refused the request.</summary>
    RateLimited,

    /// <summary>Limits: the key's quota refused the request.</summary>
    QuotaExhausted,
}

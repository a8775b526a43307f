namespace P2P.ApiKeys.Diagnostics;

/// <summary>How one verification ended; the <c>outcome</c> tag of the verification metrics.</summary>
internal enum ApiKeyVerificationOutcome
{
    Success = 0,
    Missing,
    Malformed,
    Unknown,
    Revoked,
    Expired,
    InvalidSecret,
    StoreUnavailable,
    Disabled,
}

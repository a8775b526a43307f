namespace P2P.Dashboard.Api;

/// <summary>Why a call to the P2P API failed, in the terms of what the user has to do about it.</summary>
public enum ApiFailureKind
{
    /// <summary>401: the key is invalid, expired or revoked — generate a new one.</summary>
    KeyRejected,

    /// <summary>403: the key is valid but lacks scope <c>p2p:read</c>.</summary>
    MissingScope,

    /// <summary>No answer: connection refused, DNS, timeout, or the circuit is open.</summary>
    Unreachable,

    /// <summary>429: the key's rate limit or quota is used up for now; <see cref="ProcurementApiException.RetryAfter"/> says for how long.</summary>
    RateLimited,

    /// <summary>400: the API rejected a filter value.</summary>
    BadRequest,

    /// <summary>5xx or an answer that is not the documented JSON.</summary>
    ApiError,
}

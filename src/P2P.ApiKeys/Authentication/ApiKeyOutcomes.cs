using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// The one table of outcomes: for each <see cref="ApiKeyOutcome"/>, its status, problem text, log event and metric
/// tag. The handler, the challenge, the limit step and the metrics all read it; nothing else maps an outcome.
/// </summary>
internal static class ApiKeyOutcomes
{
    public const string OutcomeTagName = "p2p.api_key.outcome";

    private const string Unauthorized = "https://tools.ietf.org/html/rfc9110#section-15.5.2";
    // draft-ietf-httpapi-ratelimit-headers-11, section 5.1: the problem type for requests over a quota policy, with the
    // "violated-policies" member naming the policies (here "rate", "quota" or "client").
    private const string TooMany = "https://iana.org/assignments/http-problem-types#quota-exceeded";
    private const string TooManyTitle = "Request cannot be satisfied as assigned quota has been exceeded";
    private const string ValidKeyRequired = "A valid API key is required.";
    private const ApiKeyOutcomeStage V = ApiKeyOutcomeStage.Verification;

    private static readonly ApiKeyOutcomeInfo[] Table =
    [
        new(ApiKeyOutcome.Verified, V, StatusCodes.Status200OK, "success", static (l, id, _) => ApiKeyLog.KeyVerified(l, id)),
        new(ApiKeyOutcome.Missing, V, StatusCodes.Status401Unauthorized, "missing", static (l, _, _) => ApiKeyLog.KeyMissing(l),
            problemType: Unauthorized, title: "Unauthorized", detail: ValidKeyRequired),
        Refusal(ApiKeyOutcome.Malformed, "malformed", static (l, _, _) => ApiKeyLog.KeyMalformed(l), ApiKeyValidationFailure.Malformed, "The API key is malformed."),
        Refusal(ApiKeyOutcome.Unknown, "unknown", static (l, id, _) => ApiKeyLog.KeyUnknown(l, id), ApiKeyValidationFailure.Unknown, "The API key is unknown."),
        Refusal(ApiKeyOutcome.InvalidSecret, "invalid_secret", static (l, id, _) => ApiKeyLog.KeyInvalidSecret(l, id), ApiKeyValidationFailure.InvalidSecret,
            "The API key secret does not match."),
        Refusal(ApiKeyOutcome.Revoked, "revoked", static (l, id, _) => ApiKeyLog.KeyRevoked(l, id), ApiKeyValidationFailure.Revoked, "The API key was revoked."),
        Refusal(ApiKeyOutcome.Expired, "expired", static (l, id, _) => ApiKeyLog.KeyExpired(l, id), ApiKeyValidationFailure.Expired, "The API key expired."),
        Refusal(ApiKeyOutcome.Disabled, "disabled", static (l, id, _) => ApiKeyLog.KeyDisabled(l, id), ApiKeyValidationFailure.Disabled, "The API key is disabled."),
        new(ApiKeyOutcome.StoreUnavailable, V, StatusCodes.Status503ServiceUnavailable, "store_unavailable", static (l, _, ex) => ApiKeyLog.StoreUnavailable(l, ex),
            ApiKeyValidationFailure.StoreUnavailable, "The API key store is unavailable.", "https://tools.ietf.org/html/rfc9110#section-15.6.4", "Service Unavailable",
            "The API key cannot be verified right now. Try again later."),

        // Counted by the metrics' client_throttled outcome; a flood must not flood the log too.
        new(ApiKeyOutcome.ClientThrottled, V, StatusCodes.Status429TooManyRequests, "client_throttled", log: null, ApiKeyValidationFailure.ClientThrottled,
            "The client made too many API-key lookups.", TooMany, TooManyTitle, "Too many API-key lookups from this client. Retry later with a valid key."),
        new(ApiKeyOutcome.Forbidden, ApiKeyOutcomeStage.Authorization, StatusCodes.Status403Forbidden, "forbidden", static (l, id, _) => ApiKeyLog.KeyForbidden(l, id),
            problemType: "https://tools.ietf.org/html/rfc9110#section-15.5.4", title: "Forbidden", detail: "The API key does not grant a scope this endpoint requires."),
        new(ApiKeyOutcome.Allowed, ApiKeyOutcomeStage.Limits, StatusCodes.Status200OK, "allowed", log: null),
        new(ApiKeyOutcome.RateLimited, ApiKeyOutcomeStage.Limits, StatusCodes.Status429TooManyRequests, "rate_limited", log: null, problemType: TooMany, title: TooManyTitle),
        new(ApiKeyOutcome.QuotaExhausted, ApiKeyOutcomeStage.Limits, StatusCodes.Status429TooManyRequests, "quota_exhausted", log: null, problemType: TooMany, title: TooManyTitle),
    ];

    /// <summary>The row of <paramref name="outcome"/>.</summary>
    public static ApiKeyOutcomeInfo Of(ApiKeyOutcome outcome) => Table[(int)outcome];

    /// <summary>Every row, in <see cref="ApiKeyOutcome"/> order.</summary>
    public static ReadOnlySpan<ApiKeyOutcomeInfo> All => Table;

    private static ApiKeyOutcomeInfo Refusal(
        ApiKeyOutcome outcome, string tag, Action<ILogger, string, Exception?> log, ApiKeyValidationFailure failure, string failureMessage) =>
        new(outcome, V, StatusCodes.Status401Unauthorized, tag, log, failure, failureMessage, Unauthorized, "Unauthorized", ValidKeyRequired);
}

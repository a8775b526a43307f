using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// One row of <see cref="ApiKeyOutcomes"/>: what an outcome answers (status and problem text), which log event it
/// writes, which metric tag it counts under, and for a refusal, the fixed failure result the challenge reads back.
/// </summary>
internal sealed class ApiKeyOutcomeInfo
{
    public ApiKeyOutcomeInfo(
        ApiKeyOutcome outcome, ApiKeyOutcomeStage stage, int statusCode, string metricTag, Action<ILogger, string, Exception?>? log,
        ApiKeyValidationFailure? failure = null, string? failureMessage = null, string? problemType = null, string? title = null, string? detail = null)
    {
        Outcome = outcome;
        Stage = stage;
        StatusCode = statusCode;
        MetricTag = new(ApiKeyOutcomes.OutcomeTagName, metricTag);
        Log = log;
        Failure = failure;
        ProblemType = problemType;
        Title = title;
        Detail = detail;
        Result = failureMessage is null ? null : AuthenticateResult.Fail(new ApiKeyRefusedException(this, failureMessage));
    }

    public ApiKeyOutcome Outcome { get; }

    public ApiKeyOutcomeStage Stage { get; }

    /// <summary>The status the client gets: 200 where the endpoint runs, 401, 403, 429 or 503.</summary>
    public int StatusCode { get; }

    /// <summary>The <c>outcome</c> tag of the metrics, built once so that recording allocates nothing.</summary>
    public KeyValuePair<string, object?> MetricTag { get; }

    /// <summary>Writes the outcome's log line (the lookup id at most); <see langword="null"/> for none.</summary>
    public Action<ILogger, string, Exception?>? Log { get; }

    /// <summary>The public reason handed to the <c>Failed</c> and <c>Challenge</c> events.</summary>
    public ApiKeyValidationFailure? Failure { get; }

    /// <summary>The fixed failure result of a refused key; its <see cref="AuthenticateResult.Failure"/> names this row.</summary>
    public AuthenticateResult? Result { get; }

    public string? ProblemType { get; }

    public string? Title { get; }

    /// <summary>Fixed text: never anything the client sent.</summary>
    public string? Detail { get; }

    /// <summary>A key the store knows, presented with its secret, refused for its state (revoked, expired, disabled).</summary>
    public bool RefusesKnownKey => Outcome is ApiKeyOutcome.Revoked or ApiKeyOutcome.Expired or ApiKeyOutcome.Disabled;
}

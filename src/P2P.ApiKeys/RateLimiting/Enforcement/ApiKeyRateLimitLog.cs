using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.RateLimiting.Enforcement;

/// <summary>Log messages of rate limiting; event ids 1300–1399. Lookup ids only, never a key. A refusal is
/// Debug: under a flood it is the <c>p2p.apikeys.rate_limit.decisions</c> metric, not a log line per request.</summary>
internal static partial class ApiKeyRateLimitLog
{
    [LoggerMessage(1300, LogLevel.Debug, "API key {LookupId} was refused by its {Limit}; retry after {RetryAfterSeconds} s.", EventName = "ApiKeyRateLimited")]
    public static partial void KeyLimited(ILogger logger, string lookupId, string limit, long retryAfterSeconds);

    [LoggerMessage(1301, LogLevel.Error, "The rate limiter failed; the request is admitted without a limit.", EventName = "ApiKeyRateLimiterFailed")]
    public static partial void LimiterFailed(ILogger logger, Exception exception);
}

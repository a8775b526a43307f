using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.RateLimiting.Enforcement;

/// <summary>Log messages of rate limiting; event ids 1200–1219. Lookup ids only, never a key.</summary>
internal static partial class ApiKeyRateLimitLog
{
    [LoggerMessage(1200, LogLevel.Information, "API key {LookupId} was refused by its {Limit}; retry after {RetryAfterSeconds} s.", EventName = "ApiKeyRateLimited")]
    public static partial void KeyLimited(ILogger logger, string lookupId, string limit, long retryAfterSeconds);

    [LoggerMessage(1201, LogLevel.Error, "The rate limiter failed; the request is admitted without a limit.", EventName = "ApiKeyRateLimiterFailed")]
    public static partial void LimiterFailed(ILogger logger, Exception exception);
}

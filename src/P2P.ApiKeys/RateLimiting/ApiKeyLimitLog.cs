using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>Log messages of budgets (event ids 1300–1399). Ids only, never a key.</summary>
internal static partial class ApiKeyLimitLog
{
    [LoggerMessage(1300, LogLevel.Information, "The rate-limit and quota counts of API key {KeyId} (lineage {LineageId}) were reset.", EventName = "ApiKeyLimitsReset")]
    public static partial void LimitsReset(ILogger logger, Guid keyId, Guid lineageId);
}

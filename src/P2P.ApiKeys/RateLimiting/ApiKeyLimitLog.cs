using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>Log messages of budgets (event ids 1300–1399, beside Enforcement/ApiKeyRateLimitLog's 1300–1301). Ids only, never a key.</summary>
internal static partial class ApiKeyLimitLog
{
    [LoggerMessage(1302, LogLevel.Information, "The rate-limit and quota counts of API key {KeyId} (lineage {LineageId}) were reset.", EventName = "ApiKeyLimitsReset")]
    public static partial void LimitsReset(ILogger logger, Guid keyId, Guid lineageId);

    [LoggerMessage(1303, LogLevel.Information, "Loaded {Count} quota counts from the store.", EventName = "ApiKeyQuotaCountsLoaded")]
    public static partial void QuotaCountsLoaded(ILogger logger, int count);

    [LoggerMessage(1304, LogLevel.Debug, "Wrote {Count} quota counts to the store.", EventName = "ApiKeyQuotaCountsSaved")]
    public static partial void QuotaCountsSaved(ILogger logger, int count);

    [LoggerMessage(1305, LogLevel.Warning, "Could not write {Count} quota counts to the store; they are kept for the next flush.", EventName = "ApiKeyQuotaCountsSaveFailed")]
    public static partial void QuotaCountsSaveFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(1306, LogLevel.Warning, "Could not load the quota counts from the store; quotas count from zero on this node.", EventName = "ApiKeyQuotaCountsLoadFailed")]
    public static partial void QuotaCountsLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(1320, LogLevel.Information, "An owner's budget was changed: rate limit {HasRateLimit}, quota {HasQuota}.", EventName = "ApiKeyOwnerLimitsChanged")]
    public static partial void OwnerLimitsChanged(ILogger logger, bool hasRateLimit, bool hasQuota);
}

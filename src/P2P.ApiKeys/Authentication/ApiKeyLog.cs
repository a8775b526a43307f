using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Every log line of the API-key scheme; <see cref="ApiKeyOutcomes"/> says which outcome writes which. EventIds are
/// stable (1000-1099); messages carry the public lookup id at most, never the key, its secret or its hash. Every refusal
/// (missing, malformed, unknown, wrong secret, revoked, expired, disabled, a missing scope) is Debug: a client can repeat
/// it at will, so it is counted by the <c>p2p.apikeys.verifications</c> metric (by outcome), not logged per request at
/// Information.
/// </summary>
internal static partial class ApiKeyLog
{
    [LoggerMessage(1000, LogLevel.Debug, "No API key was presented.", EventName = "ApiKeyMissing")]
    public static partial void KeyMissing(ILogger logger);

    [LoggerMessage(1001, LogLevel.Debug, "A malformed API key was rejected before any store lookup.", EventName = "ApiKeyMalformed")]
    public static partial void KeyMalformed(ILogger logger);

    [LoggerMessage(1002, LogLevel.Debug, "An API key with unknown lookup id {LookupId} was rejected.", EventName = "ApiKeyUnknown")]
    public static partial void KeyUnknown(ILogger logger, string lookupId);

    [LoggerMessage(1003, LogLevel.Debug, "The revoked API key {LookupId} was rejected.", EventName = "ApiKeyRevoked")]
    public static partial void KeyRevoked(ILogger logger, string lookupId);

    [LoggerMessage(1004, LogLevel.Debug, "The expired API key {LookupId} was rejected.", EventName = "ApiKeyExpired")]
    public static partial void KeyExpired(ILogger logger, string lookupId);

    [LoggerMessage(1005, LogLevel.Debug, "An API key with lookup id {LookupId} and a wrong secret was rejected.", EventName = "ApiKeyInvalidSecret")]
    public static partial void KeyInvalidSecret(ILogger logger, string lookupId);

    [LoggerMessage(1006, LogLevel.Error, "The API key store is unavailable; the request is refused (fail closed).", EventName = "ApiKeyStoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, Exception? exception);

    [LoggerMessage(1007, LogLevel.Debug, "API key {LookupId} was verified.", EventName = "ApiKeyVerified")]
    public static partial void KeyVerified(ILogger logger, string lookupId);

    [LoggerMessage(1008, LogLevel.Debug, "The request was aborted while its API key was being verified.", EventName = "ApiKeyVerificationAborted")]
    public static partial void VerificationAborted(ILogger logger);

    [LoggerMessage(1009, LogLevel.Debug, "API key {LookupId} lacks a scope this endpoint requires.", EventName = "ApiKeyForbidden")]
    public static partial void KeyForbidden(ILogger logger, string lookupId);

    [LoggerMessage(1010, LogLevel.Debug, "The disabled API key {LookupId} was rejected.", EventName = "ApiKeyDisabled")]
    public static partial void KeyDisabled(ILogger logger, string lookupId);
}

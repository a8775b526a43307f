using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Management;

/// <summary>Log lines of <see cref="ApiKeyManager"/> (EventIds 1200-1219): ids and lookup ids only, never a key or hash.</summary>
internal static partial class ApiKeyManagerLog
{
    [LoggerMessage(1200, LogLevel.Information, "API key {KeyId} ({LookupId}) created.", EventName = "ApiKeyCreated")]
    public static partial void KeyCreated(ILogger logger, Guid keyId, string lookupId);

    [LoggerMessage(1201, LogLevel.Information, "API key {KeyId} ({LookupId}) changed (enabled: {Enabled}, revoked at: {RevokedAt}).", EventName = "ApiKeyUpdated")]
    public static partial void KeyUpdated(ILogger logger, Guid keyId, string lookupId, bool enabled, DateTimeOffset? revokedAt);

    [LoggerMessage(1202, LogLevel.Information, "API key {KeyId} ({LookupId}) rotated to {NewKeyId}; old key revoked at {RevokedAt}.", EventName = "ApiKeyRotated")]
    public static partial void KeyRotated(ILogger logger, Guid keyId, string lookupId, Guid newKeyId, DateTimeOffset revokedAt);
}

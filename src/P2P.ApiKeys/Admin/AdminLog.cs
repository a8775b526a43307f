using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Admin log messages; event ids 3000–3199. Ids, user names and lookup ids only: never a password, token, key or hash.
/// A refusal a client can repeat at will (a rejected token, a throttled login) is Debug: it is counted by
/// <c>p2p.apikeys.admin.login.refusals</c> and ASP.NET Core's authentication metrics, not logged per request.
/// </summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 3001, EventName = "EphemeralSigningKey", Level = LogLevel.Warning,
        Message = "AdminOptions.Token.SigningKey is not configured; a random key was generated for this Development run. Admin tokens will not survive a restart. Configure a key of at least 256 bits outside Development.")]
    public static partial void EphemeralSigningKey(ILogger logger);

    [LoggerMessage(EventId = 3002, EventName = "AdminCreated", Level = LogLevel.Information, Message = "Admin {AdminId} created (bootstrap: {Bootstrap}).")]
    public static partial void AdminCreated(ILogger logger, Guid adminId, bool bootstrap);

    [LoggerMessage(EventId = 3003, EventName = "AdminDeleted", Level = LogLevel.Information, Message = "Admin {AdminId} deleted.")]
    public static partial void AdminDeleted(ILogger logger, Guid adminId);

    [LoggerMessage(EventId = 3004, EventName = "PasswordChanged", Level = LogLevel.Information, Message = "Admin {AdminId} changed its password.")]
    public static partial void PasswordChanged(ILogger logger, Guid adminId);

    [LoggerMessage(EventId = 3005, EventName = "LoginSucceeded", Level = LogLevel.Information, Message = "Admin {AdminId} logged in.")]
    public static partial void LoginSucceeded(ILogger logger, Guid adminId);

    [LoggerMessage(EventId = 3006, EventName = "LoginFailed", Level = LogLevel.Warning, Message = "Admin login failed.")]
    public static partial void LoginFailed(ILogger logger);

    [LoggerMessage(EventId = 3007, EventName = "LoginThrottled", Level = LogLevel.Debug, Message = "Admin login throttled ({Reason}).")]
    public static partial void LoginThrottled(ILogger logger, string reason);

    [LoggerMessage(EventId = 3008, EventName = "PasswordRehashed", Level = LogLevel.Information, Message = "Password hash of admin {AdminId} upgraded to the current format.")]
    public static partial void PasswordRehashed(ILogger logger, Guid adminId);

    [LoggerMessage(EventId = 3012, EventName = "AdminTokenRejected", Level = LogLevel.Debug, Message = "Admin token rejected: {Reason}.")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3050, EventName = "AdminAuditWriteFailed", Level = LogLevel.Error, Message = "The audit entry {Action} for {Target} could not be written; the change itself is stored.")]
    public static partial void AuditWriteFailed(ILogger logger, string action, string target, Exception exception);

    [LoggerMessage(EventId = 3051, EventName = "AdminUnexpectedFailure", Level = LogLevel.Error, Message = "An admin endpoint failed unexpectedly; answering 500.")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3013, EventName = "AdminStoreUnavailable", Level = LogLevel.Error, Message = "An admin store call failed; answering 503.")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);
}

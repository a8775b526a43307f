using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Audit;

/// <summary>
/// Writes audit entries: action, actor (<see cref="AuditActor"/>: an admin, an admin key …), target, time from the library
/// clock, client address. Never a secret.
/// </summary>
internal sealed class AdminAuditTrail(IAdminAuditStore store, TimeProvider clock, ILogger<AdminAuditTrail> logger)
{
    public const string AdminCreated = "admin.created";
    public const string AdminDeleted = "admin.deleted";
    public const string PasswordChanged = "password.changed";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginThrottled = "login.throttled";
    public const string KeyCreated = ApiKeyAuditActions.Created;
    public const string KeyRevoked = ApiKeyAuditActions.Revoked;
    public const string KeyRotated = ApiKeyAuditActions.Rotated;
    public const string KeyUpdated = ApiKeyAuditActions.Updated;
    public const string KeyEnabled = ApiKeyAuditActions.Enabled;
    public const string KeyDisabled = ApiKeyAuditActions.Disabled;
    public const string KeyLimitsReset = ApiKeyAuditActions.LimitsReset;

    /// <summary>Appends an entry; the actor is the request's caller unless given.</summary>
    public ValueTask WriteAsync(HttpContext context, string action, string? target, AuditActor? actor = null)
    {
        var now = clock.GetUtcNow();
        actor ??= AdminCaller.From(context.User).Actor;
        return store.AppendAsync(new AdminAuditEntry
        {
            Id = Guid.CreateVersion7(now),
            OccurredAt = now,
            Action = action,
            Actor = Truncate(actor?.Name),
            ActorKind = actor?.KindName,
            Target = Truncate(target),
            ClientAddress = Truncate(context.Connection.RemoteIpAddress?.ToString()),
        }, CancellationToken.None); // Written after the action, even if the client has gone.
    }

    /// <summary>
    /// Writes the audit entry of a change that is already stored. If the audit store fails, the change stands (it cannot
    /// be undone, and a full key in the response would otherwise be lost): the failure is logged, the response is sent.
    /// </summary>
    public async Task WriteAfterChangeAsync(HttpContext context, string action, string target)
    {
#pragma warning disable CA1031 // Whatever the audit store throws, the stored change and its one-time key must reach the caller.
        try
        {
            await WriteAsync(context, action, target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AdminLog.AuditWriteFailed(logger, action, target, ex);
        }
#pragma warning restore CA1031
    }

    private static string? Truncate(string? value) =>
        value is { Length: > AdminAuditEntry.MaxTextLength } ? value[..AdminAuditEntry.MaxTextLength] : value;
}

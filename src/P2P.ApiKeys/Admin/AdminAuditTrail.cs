using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary>Writes audit entries: action, actor, target, time from the library clock, client address. Never a secret.</summary>
internal sealed class AdminAuditTrail(IAdminAuditStore store, AdminClock clock)
{
    public const string AdminCreated = "admin.created";
    public const string AdminDeleted = "admin.deleted";
    public const string PasswordChanged = "password.changed";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginThrottled = "login.throttled";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string KeyRotated = "key.rotated";
    public const string KeyUpdated = "key.updated";
    public const string KeyEnabled = "key.enabled";
    public const string KeyDisabled = "key.disabled";

    public ValueTask WriteAsync(HttpContext context, string action, string? actor, string? target)
    {
        var now = clock.UtcNow;
        return store.AppendAsync(new AdminAuditEntry
        {
            Id = Guid.CreateVersion7(now),
            OccurredAt = now,
            Action = action,
            Actor = Truncate(actor ?? context.User.FindFirstValue("name")),
            Target = Truncate(target),
            ClientAddress = Truncate(context.Connection.RemoteIpAddress?.ToString()),
        }, CancellationToken.None); // Written after the action, even if the client has gone.
    }

    private static string? Truncate(string? value) =>
        value is { Length: > AdminAuditEntry.MaxTextLength } ? value[..AdminAuditEntry.MaxTextLength] : value;
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Admin.Audit;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>
/// The token endpoint: the per-client rate limit, the form, then <see cref="AdminUserManager.VerifyLoginAsync"/> (lockout,
/// password, hash upgrade), then the token and the audit entry. Refusals anyone can cause are aggregated in the audit.
/// </summary>
internal sealed class AdminLogin(
    AdminUserManager users,
    AdminTokenIssuer issuer,
    AdminTokenRateLimiter rateLimiter,
    AdminAuditTrail audit,
    AdminLoginRefusals refusals,
    ILogger<AdminLogin> logger)
{
    public async Task<Results<Ok<AdminTokenResponse>, ProblemHttpResult>> LoginAsync(HttpContext context)
    {
        if (!rateLimiter.TryAcquire(context, out var clientRetryAfter))
        {
            AdminLog.LoginThrottled(logger, "client rate limit");
            await refusals.RecordAsync(context, AdminAuditTrail.LoginThrottled, AdminLoginRefusals.ClientRateLimit, target: null).ConfigureAwait(false);
            return AdminResults.TooManyRequests(context, clientRetryAfter);
        }

        var (form, error) = await AdminRequestReader.ReadFormAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var grantType = form!.TryGetValue("grant_type", out var g) ? g.ToString() : null;
        if (grantType is not null && !string.Equals(grantType, "password", StringComparison.Ordinal))
        {
            return AdminRequestReader.Invalid("grant_type must be \"password\" when present.");
        }

        var userName = form.TryGetValue("username", out var u) && u.Count == 1 ? u.ToString() : "";
        var password = form.TryGetValue("password", out var p) && p.Count == 1 ? p.ToString() : "";
        if (userName.Length == 0 || password.Length == 0)
        {
            return AdminRequestReader.Invalid("username and password are required, once each.");
        }

        var result = await users.VerifyLoginAsync(userName, password, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await AuditRefusalAsync(context, result).ConfigureAwait(false);
            return AdminResults.Problem(result, context);
        }

        var (token, lifetime) = issuer.Issue(result.Value);
        AdminLog.LoginSucceeded(logger, result.Value.Id);
        await audit.WriteAsync(context, AdminAuditTrail.LoginSucceeded, result.Value.UserName, AuditActor.Admin(result.Value.UserName)).ConfigureAwait(false);
        return TypedResults.Ok(new AdminTokenResponse
        {
            AccessToken = token,
            TokenType = "bearer",
            ExpiresIn = (long)lifetime.TotalSeconds,
        });
    }

    /// <summary>
    /// A wrong password for an account is audited each time (the lockout bounds those); a locked account and failures for
    /// unknown names, which anyone can send, are aggregated (<see cref="AdminLoginRefusals"/>).
    /// </summary>
    private ValueTask AuditRefusalAsync(HttpContext context, AdminUserResult<AdminUser> result) => result switch
    {
        { Error: AdminUserError.LockedOut } => refusals.RecordAsync(context, AdminAuditTrail.LoginThrottled, AdminLoginRefusals.AccountLockout, result.Account),
        { Account: null } => refusals.RecordAsync(context, AdminAuditTrail.LoginFailed, AdminLoginRefusals.UnknownUser, target: null),
        _ => audit.WriteAsync(context, AdminAuditTrail.LoginFailed, result.Account),
    };
}

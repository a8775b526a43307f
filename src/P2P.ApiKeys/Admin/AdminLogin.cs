using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// The token endpoint: per-client rate limit, per-account throttling, password verification that costs the same
/// for unknown users and wrong passwords, hash upgrade on login, token issue and audit.
/// </summary>
internal sealed class AdminLogin(
    IAdminUserStore users,
    IPasswordHasher<AdminUser> hasher,
    IOptions<AdminOptions> options,
    AdminTokenIssuer issuer,
    AdminTokenRateLimiter rateLimiter,
    AdminLoginThrottle throttle,
    AdminAuditTrail audit,
    AdminLoginRefusals refusals,
    ILogger<AdminLogin> logger)
{
    private const string InvalidCredentials = "The user name or password is incorrect.";

    private static readonly AdminUser DummyUser = new() { UserName = "dummy" };

    // A hash of a random password made by the same hasher, so that verifying against it costs what a real
    // verification costs. Made lazily: the first unknown-user login pays one extra hash, once per process.
    private readonly Lazy<string> _dummyHash = new(() =>
        hasher.HashPassword(DummyUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public async Task<Results<Ok<AdminTokenResponse>, ProblemHttpResult>> LoginAsync(HttpContext context)
    {
        if (!rateLimiter.TryAcquire(context, out var clientRetryAfter))
        {
            AdminLog.LoginThrottled(logger, "client rate limit");
            await refusals.RecordAsync(context, AdminAuditTrail.LoginThrottled, AdminLoginRefusals.ClientRateLimit, target: null).ConfigureAwait(false);
            return TooManyRequests(context, clientRetryAfter);
        }

        var (form, error) = await AdminRequestReader.ReadFormAsync(context, options.Value.MaxRequestBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
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

        var ct = context.RequestAborted;
        var maxPassword = options.Value.MaxPasswordLength;
        var normalizedUserName = userName.ToUpperInvariant();
        var user = userName.Length <= AdminUser.MaxUserNameLength
            ? await users.FindByNormalizedUserNameAsync(normalizedUserName, ct).ConfigureAwait(false)
            : null;

        // The attempt is counted before the password is checked, in one conditional write: parallel guesses
        // each need their own reservation, and past the threshold they get none. Unknown names are counted the
        // same way, so the lockout does not tell which accounts exist.
        var (reserved, retryAfter, reservedCount) = user is null
            ? WithoutCount(throttle.ReserveUnknown(normalizedUserName))
            : await throttle.ReserveAsync(user, ct).ConfigureAwait(false);
        if (!reserved)
        {
            // No verification while throttled: a guess during the delay is worth nothing to an attacker.
            AdminLog.LoginThrottled(logger, "account delay");
            await refusals.RecordAsync(context, AdminAuditTrail.LoginThrottled, AdminLoginRefusals.AccountLockout, target: user?.UserName).ConfigureAwait(false);
            return TooManyRequests(context, retryAfter);
        }

        // Unknown user or not: the hasher runs once either way, on a bounded password, so the answer and its
        // cost do not tell whether the account exists.
        var candidate = password.Length <= maxPassword ? password : password[..maxPassword];
        PasswordVerificationResult verification;
        if (user is null)
        {
            _ = hasher.VerifyHashedPassword(DummyUser, _dummyHash.Value, candidate);
            verification = PasswordVerificationResult.Failed;
        }
        else
        {
            verification = hasher.VerifyHashedPassword(user, user.PasswordHash, candidate);
        }

        if (password.Length > maxPassword)
        {
            // Never truncate a password: an over-long one is simply wrong (it could never have been set).
            verification = PasswordVerificationResult.Failed;
        }

        if (user is null || verification == PasswordVerificationResult.Failed)
        {
            // Already counted by the reservation. A wrong password for an account is audited each time (the
            // lockout bounds those); failures for unknown names, which anyone can send, are aggregated.
            AdminLog.LoginFailed(logger);
            if (user is null)
            {
                await refusals.RecordAsync(context, AdminAuditTrail.LoginFailed, AdminLoginRefusals.UnknownUser, target: null).ConfigureAwait(false);
            }
            else
            {
                await audit.WriteAsync(context, AdminAuditTrail.LoginFailed, actor: null, target: user.UserName).ConfigureAwait(false);
            }

            return TypedResults.Problem(detail: InvalidCredentials, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var rehash = verification == PasswordVerificationResult.SuccessRehashNeeded;
        user = await RecordSuccessAsync(user, reservedCount, rehash ? password : null, ct).ConfigureAwait(false);
        if (rehash)
        {
            AdminLog.PasswordRehashed(logger, user.Id);
        }

        var (token, lifetime) = issuer.Issue(user);
        AdminLog.LoginSucceeded(logger, user.Id);
        await audit.WriteAsync(context, AdminAuditTrail.LoginSucceeded, actor: user.UserName, target: user.UserName).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(new AdminTokenResponse
        {
            AccessToken = token,
            TokenType = "bearer",
            ExpiresIn = (long)lifetime.TotalSeconds,
        });
    }

    private static (bool, TimeSpan, int) WithoutCount((bool Reserved, TimeSpan RetryAfter) reservation) =>
        (reservation.Reserved, reservation.RetryAfter, 0);

    private async Task<AdminUser> RecordSuccessAsync(AdminUser user, int reservedCount, string? rehashPassword, CancellationToken ct)
    {
        await throttle.ResetAsync(user.Id, reservedCount, ct).ConfigureAwait(false);
        if (rehashPassword is null)
        {
            return user;
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            // The reservation gave the admin a new concurrency stamp: upgrade the hash on a fresh copy.
            var fresh = await users.FindByIdAsync(user.Id, ct).ConfigureAwait(false);
            if (fresh is null || !string.Equals(fresh.PasswordHash, user.PasswordHash, StringComparison.Ordinal))
            {
                // Deleted, or someone else changed the password: do not overwrite their hash.
                return user;
            }

            fresh.PasswordHash = hasher.HashPassword(fresh, rehashPassword);
            if (await users.UpdateAsync(fresh, CancellationToken.None).ConfigureAwait(false))
            {
                return fresh;
            }
        }

        return user;
    }

    internal static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: "Too many login attempts; retry later.", statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests");
    }
}

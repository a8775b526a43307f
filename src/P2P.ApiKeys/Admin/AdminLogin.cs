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
    AdminClock clock,
    AdminTokenIssuer issuer,
    AdminTokenRateLimiter rateLimiter,
    AdminAuditTrail audit,
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
            await audit.WriteAsync(context, AdminAuditTrail.LoginThrottled, actor: null, target: null).ConfigureAwait(false);
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
        var user = userName.Length <= AdminUser.MaxUserNameLength
            ? await users.FindByNormalizedUserNameAsync(userName.ToUpperInvariant(), ct).ConfigureAwait(false)
            : null;
        var now = clock.UtcNow;
        if (user?.LockoutEndsAt is { } endsAt && endsAt > now)
        {
            // No verification while throttled: a guess during the delay is worth nothing to an attacker.
            AdminLog.LoginThrottled(logger, "account delay");
            await audit.WriteAsync(context, AdminAuditTrail.LoginThrottled, actor: null, target: user.UserName).ConfigureAwait(false);
            return TooManyRequests(context, endsAt - now);
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
            if (user is not null)
            {
                await RecordFailureAsync(user, ct).ConfigureAwait(false);
            }

            AdminLog.LoginFailed(logger);
            await audit.WriteAsync(context, AdminAuditTrail.LoginFailed, actor: null, target: user?.UserName).ConfigureAwait(false);
            return TypedResults.Problem(detail: InvalidCredentials, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var rehash = verification == PasswordVerificationResult.SuccessRehashNeeded;
        user = await RecordSuccessAsync(user, rehash ? password : null, ct).ConfigureAwait(false);
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

    private async Task RecordFailureAsync(AdminUser user, CancellationToken ct)
    {
        var o = options.Value;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            user.FailedLoginCount = Math.Min(user.FailedLoginCount + 1, 1_000_000);
            if (user.FailedLoginCount >= o.LockoutThreshold)
            {
                // 5th failure: base delay; each further failure doubles it, up to the maximum.
                var doublings = Math.Min(user.FailedLoginCount - o.LockoutThreshold, 30);
                var delay = TimeSpan.FromTicks((long)Math.Min(o.LockoutBaseDelay.Ticks * Math.Pow(2, doublings), o.LockoutMaxDelay.Ticks));
                user.LockoutEndsAt = clock.UtcNow + delay;
            }

            if (await users.UpdateAsync(user, CancellationToken.None).ConfigureAwait(false))
            {
                return;
            }

            // A concurrent failure or success changed the record: count on top of the stored state.
            if (await users.FindByIdAsync(user.Id, ct).ConfigureAwait(false) is not { } fresh)
            {
                return;
            }

            user = fresh;
        }
    }

    private async Task<AdminUser> RecordSuccessAsync(AdminUser user, string? rehashPassword, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (user.FailedLoginCount == 0 && user.LockoutEndsAt is null && rehashPassword is null)
            {
                return user;
            }

            user.FailedLoginCount = 0;
            user.LockoutEndsAt = null;
            if (rehashPassword is not null)
            {
                user.PasswordHash = hasher.HashPassword(user, rehashPassword);
            }

            if (await users.UpdateAsync(user, CancellationToken.None).ConfigureAwait(false))
            {
                return user;
            }

            if (await users.FindByIdAsync(user.Id, ct).ConfigureAwait(false) is not { } fresh)
            {
                return user;
            }

            // Someone else changed the admin (for example its password): do not overwrite their hash.
            user = fresh;
            rehashPassword = null;
        }

        return user;
    }

    private static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: "Too many login attempts; retry later.", statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests");
    }
}

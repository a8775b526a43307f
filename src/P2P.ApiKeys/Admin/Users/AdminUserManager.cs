using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>
/// The rules over <see cref="IAdminUserStore"/>, as Identity's <c>UserManager</c> holds them over <c>IUserStore</c>: user
/// names and passwords, hashing with Identity's <see cref="IPasswordHasher{TUser}"/>, the first-admin bootstrap, never the
/// last admin, and the lockout that every password check counts toward (docs/security.md rules 9–12, 15, 22). One method per
/// job; expected outcomes are <see cref="AdminUserResult{T}"/> values, an exception means the store failed.
/// </summary>
internal sealed class AdminUserManager(
    IAdminUserStore store,
    IPasswordHasher<AdminUser> hasher,
    AdminLoginThrottle throttle,
    IOptions<AdminOptions> options,
    IOptions<ApiKeyOptions> keyOptions,
    TimeProvider timeProvider,
    ILogger<AdminUserManager> logger)
{
    public const string UserNameField = "username";
    public const string PasswordField = "password";
    public const string CurrentPasswordField = "current_password";
    public const string NewPasswordField = "new_password";

    private const string ChangedConcurrently = "The admin changed concurrently; retry.";

    private static readonly AdminUser DummyUser = new() { UserName = "dummy" };

    // A hash of a random password made by the same hasher, so that verifying against it costs what a real
    // verification costs. Made lazily: the first unknown-user login pays one extra hash, once per process.
    private readonly Lazy<string> _dummyHash = new(() =>
        hasher.HashPassword(DummyUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    /// <summary>
    /// Creates an admin. With <paramref name="firstAdmin"/> only while no admin exists (the anonymous one-time bootstrap):
    /// the store checks and inserts in one atomic step, so of two simultaneous bootstraps exactly one succeeds.
    /// </summary>
    public async Task<AdminUserResult<AdminUser>> CreateAsync(string? userName, string? password, bool firstAdmin, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        userName ??= "";
        if (userName.Length is 0 or > AdminUser.MaxUserNameLength || ApiKeyRules.HasHiddenCharacters(userName) || userName.Any(char.IsWhiteSpace))
        {
            errors[UserNameField] = [$"username must be 1 to {AdminUser.MaxUserNameLength} characters, without white space or control characters."];
        }

        if (AdminPasswordPolicy.Check(password, userName, options.Value.Password) is { } passwordError)
        {
            errors[PasswordField] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return AdminUserResult<AdminUser>.Invalid(errors);
        }

        var now = timeProvider.GetUtcNow();
        var user = new AdminUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            CreatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, password!);
        switch (await store.CreateAsync(user, onlyIfNoAdminExists: firstAdmin, cancellationToken).ConfigureAwait(false))
        {
            case ApiKeyStoreResult.Success:
                AdminLog.AdminCreated(logger, user.Id, firstAdmin);
                return AdminUserResult<AdminUser>.Success(user);
            case ApiKeyStoreResult.Duplicate:
                return AdminUserResult<AdminUser>.Conflict("An admin with that user name already exists.");
            default:
                return AdminUserResult<AdminUser>.Conflict("An admin already exists; log in as an admin to create further admins.");
        }
    }

    /// <summary>Lists admins, oldest first, one page at a time (the one page-size rule, <see cref="Paging"/>).</summary>
    public async Task<AdminUserResult<AdminUserPage>> ListAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        pageSize = Paging.Check(page, pageSize, keyOptions.Value.MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return AdminUserResult<AdminUserPage>.Invalid(errors);
        }

        var items = new List<AdminUser>(pageSize);
        await foreach (var user in store.ListAsync(Paging.Skip(page, pageSize), pageSize, cancellationToken).ConfigureAwait(false))
        {
            items.Add(user);
        }

        var total = await store.CountAsync(cancellationToken).ConfigureAwait(false);
        return AdminUserResult<AdminUserPage>.Success(new AdminUserPage(items, total, page, pageSize));
    }

    /// <summary>Deletes an admin, and with it every token it holds; never the last admin.</summary>
    public async Task<AdminUserResult<AdminUser>> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return AdminUserResult<AdminUser>.NotFound();
        }

        switch (await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            case ApiKeyStoreResult.Success:
                AdminLog.AdminDeleted(logger, id);
                return AdminUserResult<AdminUser>.Success(user);
            case ApiKeyStoreResult.NotFound:
                return AdminUserResult<AdminUser>.NotFound();
            default:
                return AdminUserResult<AdminUser>.Conflict("The last admin cannot be deleted; create another admin first.");
        }
    }

    /// <summary>
    /// Changes an admin's password after checking the current one. The check counts toward the account's lockout, as a
    /// login does: a stolen token must not become an unlimited password oracle. A new security stamp ends every token.
    /// </summary>
    public async Task<AdminUserResult<AdminUser>> ChangePasswordAsync(Guid id, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } user)
        {
            return AdminUserResult<AdminUser>.NotFound();
        }

        var current = currentPassword ?? "";
        if (current.Length is 0)
        {
            return AdminUserResult<AdminUser>.Invalid(CurrentPasswordField, "The current password is incorrect.");
        }

        var (reserved, retryAfter, reservedCount) = await throttle.ReserveAsync(user, cancellationToken).ConfigureAwait(false);
        if (!reserved)
        {
            AdminLog.LoginThrottled(logger, "account delay");
            return AdminUserResult<AdminUser>.LockedOut(retryAfter, user.UserName);
        }

        if (current.Length > options.Value.Password.MaxLength
            || hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return AdminUserResult<AdminUser>.Invalid(CurrentPasswordField, "The current password is incorrect.");
        }

        await throttle.ResetAsync(user.Id, reservedCount, cancellationToken).ConfigureAwait(false);
        if (AdminPasswordPolicy.Check(newPassword, user.UserName, options.Value.Password) is { } passwordError)
        {
            return AdminUserResult<AdminUser>.Invalid(NewPasswordField, passwordError);
        }

        // The reservation gave the admin a new concurrency stamp: change the password on a fresh copy, and only
        // if nobody changed it meanwhile.
        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } fresh
            || !string.Equals(fresh.PasswordHash, user.PasswordHash, StringComparison.Ordinal))
        {
            return AdminUserResult<AdminUser>.Conflict(ChangedConcurrently);
        }

        fresh.PasswordHash = hasher.HashPassword(fresh, newPassword!);
        fresh.SecurityStamp = Guid.NewGuid().ToString("N");
        fresh.FailedLoginCount = 0;
        fresh.LockoutEndsAt = null;
        if (await store.UpdateAsync(fresh, cancellationToken).ConfigureAwait(false) != ApiKeyStoreResult.Success)
        {
            return AdminUserResult<AdminUser>.Conflict(ChangedConcurrently);
        }

        AdminLog.PasswordChanged(logger, fresh.Id);
        return AdminUserResult<AdminUser>.Success(fresh);
    }

    /// <summary>
    /// Checks a login. The attempt is counted before the password is checked, in one conditional write: parallel guesses
    /// each need their own reservation, and past the threshold they get none. Unknown names are counted the same way and
    /// cost one hash verification too, so neither the answer, the lockout nor the time tells which accounts exist. A hash
    /// made with fewer iterations than configured is upgraded.
    /// </summary>
    public async Task<AdminUserResult<AdminUser>> VerifyLoginAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var maxPassword = options.Value.Password.MaxLength;
        var normalizedUserName = userName.ToUpperInvariant();
        var user = userName.Length <= AdminUser.MaxUserNameLength
            ? await store.FindByNormalizedUserNameAsync(normalizedUserName, cancellationToken).ConfigureAwait(false)
            : null;

        var (reserved, retryAfter, reservedCount) = user is null
            ? WithoutCount(throttle.ReserveUnknown(normalizedUserName))
            : await throttle.ReserveAsync(user, cancellationToken).ConfigureAwait(false);
        if (!reserved)
        {
            // No verification while throttled: a guess during the delay is worth nothing to an attacker.
            AdminLog.LoginThrottled(logger, "account delay");
            return AdminUserResult<AdminUser>.LockedOut(retryAfter, user?.UserName);
        }

        // Unknown user or not: the hasher runs once either way, on a bounded password.
        var candidate = password.Length <= maxPassword ? password : password[..maxPassword];
        var verification = user is null
            ? Dummy(candidate)
            : hasher.VerifyHashedPassword(user, user.PasswordHash, candidate);
        if (password.Length > maxPassword)
        {
            // Never truncate a password: an over-long one is simply wrong (it could never have been set).
            verification = PasswordVerificationResult.Failed;
        }

        if (user is null || verification == PasswordVerificationResult.Failed)
        {
            AdminLog.LoginFailed(logger);
            return AdminUserResult<AdminUser>.InvalidCredentials(user?.UserName);
        }

        var rehash = verification == PasswordVerificationResult.SuccessRehashNeeded;
        user = await RecordSuccessAsync(user, reservedCount, rehash ? password : null, cancellationToken).ConfigureAwait(false);
        if (rehash)
        {
            AdminLog.PasswordRehashed(logger, user.Id);
        }

        return AdminUserResult<AdminUser>.Success(user);
    }

    private PasswordVerificationResult Dummy(string candidate)
    {
        _ = hasher.VerifyHashedPassword(DummyUser, _dummyHash.Value, candidate);
        return PasswordVerificationResult.Failed;
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
            var fresh = await store.FindByIdAsync(user.Id, ct).ConfigureAwait(false);
            if (fresh is null || !string.Equals(fresh.PasswordHash, user.PasswordHash, StringComparison.Ordinal))
            {
                // Deleted, or someone else changed the password: do not overwrite their hash.
                return user;
            }

            fresh.PasswordHash = hasher.HashPassword(fresh, rehashPassword);
            if (await store.UpdateAsync(fresh, CancellationToken.None).ConfigureAwait(false) == ApiKeyStoreResult.Success)
            {
                return fresh;
            }
        }

        return user;
    }
}

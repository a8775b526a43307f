namespace P2P.ApiKeys.Stores;

/// <summary>
/// Persistence of admin accounts. Implementations must be thread-safe; returned records are copies.
/// </summary>
public interface IAdminUserStore
{
    /// <summary>Finds an admin by id, or <see langword="null"/>.</summary>
    ValueTask<AdminUser?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Finds an admin by <see cref="AdminUser.NormalizedUserName"/>, or <see langword="null"/>.</summary>
    ValueTask<AdminUser?> FindByNormalizedUserNameAsync(string normalizedUserName, CancellationToken cancellationToken);

    /// <summary>
    /// Adds an admin. With <paramref name="onlyIfNoAdminExists"/> the check and the insert are one atomic
    /// step: of two simultaneous first-admin bootstraps exactly one succeeds.
    /// </summary>
    /// <returns>
    /// <see cref="ApiKeyStoreResult.Success"/>, <see cref="ApiKeyStoreResult.Duplicate"/> (the normalized user name or the id
    /// is taken) or <see cref="ApiKeyStoreResult.Conflict"/> (a bootstrap, and an admin exists).
    /// </returns>
    ValueTask<ApiKeyStoreResult> CreateAsync(AdminUser user, bool onlyIfNoAdminExists, CancellationToken cancellationToken);

    /// <summary>Counts the admins.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Lists admins by creation time, oldest first.</summary>
    IAsyncEnumerable<AdminUser> ListAsync(int skip, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Saves changes to an admin if its <see cref="AdminUser.ConcurrencyStamp"/> still matches the stored
    /// one, and gives it a new stamp.
    /// </summary>
    /// <returns><see cref="ApiKeyStoreResult.Success"/>, <see cref="ApiKeyStoreResult.NotFound"/> or <see cref="ApiKeyStoreResult.Conflict"/> (the stamp differs).</returns>
    ValueTask<ApiKeyStoreResult> UpdateAsync(AdminUser user, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the login-failure state of an admin (<see cref="AdminUser.FailedLoginCount"/> and
    /// <see cref="AdminUser.LockoutEndsAt"/>) in one conditional write that applies only while both still hold
    /// the values the caller read, and gives the admin a new <see cref="AdminUser.ConcurrencyStamp"/> so that
    /// no update made from an older copy can undo it. Of parallel calls made from the same state exactly one
    /// succeeds. The login endpoints use it to reserve an attempt before they check a password.
    /// </summary>
    /// <returns>
    /// <see cref="ApiKeyStoreResult.Success"/>, <see cref="ApiKeyStoreResult.NotFound"/> or <see cref="ApiKeyStoreResult.Conflict"/>
    /// (the state changed since it was read).
    /// </returns>
    ValueTask<ApiKeyStoreResult> TryUpdateLoginFailuresAsync(
        Guid id,
        int expectedFailedLoginCount,
        DateTimeOffset? expectedLockoutEndsAt,
        int failedLoginCount,
        DateTimeOffset? lockoutEndsAt,
        CancellationToken cancellationToken);

    /// <summary>Deletes an admin, unless it is the last one (checked atomically).</summary>
    /// <returns><see cref="ApiKeyStoreResult.Success"/>, <see cref="ApiKeyStoreResult.NotFound"/> or <see cref="ApiKeyStoreResult.Conflict"/> (the last admin).</returns>
    ValueTask<ApiKeyStoreResult> DeleteAsync(Guid id, CancellationToken cancellationToken);
}

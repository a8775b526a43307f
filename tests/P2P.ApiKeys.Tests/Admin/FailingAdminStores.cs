using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>The real in-memory admin store, able to act like a database that is down.</summary>
internal sealed class FailingAdminUserStore(IAdminUserStore inner) : IAdminUserStore
{
    public Exception? Failure { get; set; }

    public ValueTask<AdminUser?> FindByIdAsync(Guid id, CancellationToken cancellationToken) => Guard(() => inner.FindByIdAsync(id, cancellationToken));

    public ValueTask<AdminUser?> FindByNormalizedUserNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Guard(() => inner.FindByNormalizedUserNameAsync(normalizedUserName, cancellationToken));

    public ValueTask<AdminCreateResult> CreateAsync(AdminUser user, bool onlyIfNoAdminExists, CancellationToken cancellationToken) =>
        Guard(() => inner.CreateAsync(user, onlyIfNoAdminExists, cancellationToken));

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => Guard(() => inner.CountAsync(cancellationToken));

    public IAsyncEnumerable<AdminUser> ListAsync(int skip, int take, CancellationToken cancellationToken) =>
        Failure is null ? inner.ListAsync(skip, take, cancellationToken) : throw Failure;

    public ValueTask<bool> UpdateAsync(AdminUser user, CancellationToken cancellationToken) => Guard(() => inner.UpdateAsync(user, cancellationToken));

    public ValueTask<bool> TryUpdateLoginFailuresAsync(Guid id, int expectedFailedLoginCount, DateTimeOffset? expectedLockoutEndsAt, int failedLoginCount,
        DateTimeOffset? lockoutEndsAt, CancellationToken cancellationToken) =>
        Guard(() => inner.TryUpdateLoginFailuresAsync(id, expectedFailedLoginCount, expectedLockoutEndsAt, failedLoginCount, lockoutEndsAt, cancellationToken));

    public ValueTask<AdminDeleteResult> DeleteAsync(Guid id, CancellationToken cancellationToken) => Guard(() => inner.DeleteAsync(id, cancellationToken));

    private ValueTask<T> Guard<T>(Func<ValueTask<T>> call) => Failure is null ? call() : ValueTask.FromException<T>(Failure);
}

/// <summary>The real in-memory API-key store whose writes (create, revoke, rotate) can fail like a database that is down.</summary>
internal sealed class FailingWritesApiKeyStore(IApiKeyStore inner) : IApiKeyStore
{
    public Exception? WriteFailure { get; set; }

    public ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken) => inner.FindByLookupIdAsync(lookupId, cancellationToken);

    public ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken) => inner.FindByIdAsync(id, cancellationToken);

    public ValueTask CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        WriteFailure is null ? inner.CreateAsync(key, cancellationToken) : ValueTask.FromException(WriteFailure);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    public IAsyncEnumerable<ApiKeyRecord> ListAsync(int skip, int take, CancellationToken cancellationToken) => inner.ListAsync(skip, take, cancellationToken);

    public ValueTask<bool> RevokeAsync(Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
        WriteFailure is null ? inner.RevokeAsync(id, revokedAt, cancellationToken) : ValueTask.FromException<bool>(WriteFailure);

    public ValueTask<bool> RotateAsync(Guid id, DateTimeOffset revokedAt, ApiKeyRecord replacement, CancellationToken cancellationToken) =>
        WriteFailure is null ? inner.RotateAsync(id, revokedAt, replacement, cancellationToken) : ValueTask.FromException<bool>(WriteFailure);

    public ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken) =>
        inner.RecordUsageAsync(lastUsed, cancellationToken);
}

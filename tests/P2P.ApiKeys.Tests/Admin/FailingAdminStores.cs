using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>The real in-memory admin store, able to act like a database that is down.</summary>
internal sealed class FailingAdminUserStore(IAdminUserStore inner) : IAdminUserStore
{
    public Exception? Failure { get; set; }

    public ValueTask<AdminUser?> FindByIdAsync(Guid id, CancellationToken cancellationToken) => Guard(() => inner.FindByIdAsync(id, cancellationToken));

    public ValueTask<AdminUser?> FindByNormalizedUserNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Guard(() => inner.FindByNormalizedUserNameAsync(normalizedUserName, cancellationToken));

    public ValueTask<ApiKeyStoreResult> CreateAsync(AdminUser user, bool onlyIfNoAdminExists, CancellationToken cancellationToken) =>
        Guard(() => inner.CreateAsync(user, onlyIfNoAdminExists, cancellationToken));

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => Guard(() => inner.CountAsync(cancellationToken));

    public IAsyncEnumerable<AdminUser> ListAsync(int skip, int take, CancellationToken cancellationToken) =>
        Failure is null ? inner.ListAsync(skip, take, cancellationToken) : throw Failure;

    public ValueTask<ApiKeyStoreResult> UpdateAsync(AdminUser user, CancellationToken cancellationToken) => Guard(() => inner.UpdateAsync(user, cancellationToken));

    public ValueTask<ApiKeyStoreResult> TryUpdateLoginFailuresAsync(Guid id, int expectedFailedLoginCount, DateTimeOffset? expectedLockoutEndsAt, int failedLoginCount,
        DateTimeOffset? lockoutEndsAt, CancellationToken cancellationToken) =>
        Guard(() => inner.TryUpdateLoginFailuresAsync(id, expectedFailedLoginCount, expectedLockoutEndsAt, failedLoginCount, lockoutEndsAt, cancellationToken));

    public ValueTask<ApiKeyStoreResult> DeleteAsync(Guid id, CancellationToken cancellationToken) => Guard(() => inner.DeleteAsync(id, cancellationToken));

    private ValueTask<T> Guard<T>(Func<ValueTask<T>> call) => Failure is null ? call() : ValueTask.FromException<T>(Failure);
}

/// <summary>The real in-memory API-key store whose writes (create, update, rotate) can fail like a database that is down.</summary>
internal sealed class FailingWritesApiKeyStore(IApiKeyStore inner) : IApiKeyStore
{
    public Exception? WriteFailure { get; set; }

    public ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken) => inner.FindByLookupIdAsync(lookupId, cancellationToken);

    public ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken) => inner.FindByIdAsync(id, cancellationToken);

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        WriteFailure is null ? inner.CreateAsync(key, cancellationToken) : ValueTask.FromException<ApiKeyStoreResult>(WriteFailure);

    public ValueTask<long> CountAsync(ApiKeyFilter filter, CancellationToken cancellationToken) => inner.CountAsync(filter, cancellationToken);

    public IAsyncEnumerable<ApiKeyRecord> ListAsync(ApiKeyFilter filter, int skip, int take, CancellationToken cancellationToken) =>
        inner.ListAsync(filter, skip, take, cancellationToken);

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        WriteFailure is null ? inner.UpdateAsync(key, cancellationToken) : ValueTask.FromException<ApiKeyStoreResult>(WriteFailure);

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken) =>
        WriteFailure is null ? inner.RotateAsync(key, replacement, cancellationToken) : ValueTask.FromException<ApiKeyStoreResult>(WriteFailure);


    public ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken) =>
        inner.RecordUsageAsync(lastUsed, cancellationToken);
}

/// <summary>What a database driver throws when the server cannot be reached: the kind of failure that answers 503.</summary>
internal sealed class StoreDownException(string message) : System.Data.Common.DbException(message);

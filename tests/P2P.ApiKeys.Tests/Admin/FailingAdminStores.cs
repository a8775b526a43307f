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

    public ValueTask<AdminDeleteResult> DeleteAsync(Guid id, CancellationToken cancellationToken) => Guard(() => inner.DeleteAsync(id, cancellationToken));

    private ValueTask<T> Guard<T>(Func<ValueTask<T>> call) => Failure is null ? call() : ValueTask.FromException<T>(Failure);
}

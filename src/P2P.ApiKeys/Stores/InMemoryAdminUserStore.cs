using System.Runtime.CompilerServices;

namespace P2P.ApiKeys.Stores;

/// <summary>Thread-safe, process-local <see cref="IAdminUserStore"/>.</summary>
internal sealed class InMemoryAdminUserStore : IAdminUserStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, AdminUser> _byId = [];

    public ValueTask<AdminUser?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.TryGetValue(id, out var user) ? user.Clone() : null);
        }
    }

    public ValueTask<AdminUser?> FindByNormalizedUserNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalizedUserName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var user = _byId.Values.FirstOrDefault(u => string.Equals(u.NormalizedUserName, normalizedUserName, StringComparison.Ordinal));
            return ValueTask.FromResult(user?.Clone());
        }
    }

    public ValueTask<ApiKeyStoreResult> CreateAsync(AdminUser user, bool onlyIfNoAdminExists, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (onlyIfNoAdminExists && _byId.Count > 0)
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Conflict);
            }

            if (_byId.ContainsKey(user.Id) || _byId.Values.Any(u => string.Equals(u.NormalizedUserName, user.NormalizedUserName, StringComparison.Ordinal)))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Duplicate);
            }

            _byId.Add(user.Id, user.Clone());
            return ValueTask.FromResult(ApiKeyStoreResult.Success);
        }
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult((long)_byId.Count);
        }
    }

    public async IAsyncEnumerable<AdminUser> ListAsync(int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        cancellationToken.ThrowIfCancellationRequested();
        AdminUser[] page;
        lock (_gate)
        {
            page = [.. _byId.Values.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Skip(skip).Take(take).Select(u => u.Clone())];
        }

        foreach (var user in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return user;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<ApiKeyStoreResult> UpdateAsync(AdminUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(user.Id, out var stored))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.NotFound);
            }

            if (!string.Equals(stored.ConcurrencyStamp, user.ConcurrencyStamp, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Conflict);
            }

            user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
            _byId[user.Id] = user.Clone();
            return ValueTask.FromResult(ApiKeyStoreResult.Success);
        }
    }

    public ValueTask<ApiKeyStoreResult> TryUpdateLoginFailuresAsync(
        Guid id,
        int expectedFailedLoginCount,
        DateTimeOffset? expectedLockoutEndsAt,
        int failedLoginCount,
        DateTimeOffset? lockoutEndsAt,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var stored))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.NotFound);
            }

            if (stored.FailedLoginCount != expectedFailedLoginCount || stored.LockoutEndsAt != expectedLockoutEndsAt)
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Conflict);
            }

            stored.FailedLoginCount = failedLoginCount;
            stored.LockoutEndsAt = lockoutEndsAt;
            stored.ConcurrencyStamp = Guid.NewGuid().ToString("N");
            return ValueTask.FromResult(ApiKeyStoreResult.Success);
        }
    }

    public ValueTask<ApiKeyStoreResult> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.ContainsKey(id))
            {
                return ValueTask.FromResult(ApiKeyStoreResult.NotFound);
            }

            if (_byId.Count == 1)
            {
                return ValueTask.FromResult(ApiKeyStoreResult.Conflict);
            }

            _byId.Remove(id);
            return ValueTask.FromResult(ApiKeyStoreResult.Success);
        }
    }
}

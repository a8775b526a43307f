using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// <see cref="IAdminUserStore"/> on any EF Core relational provider. The first-admin bootstrap and the
/// last-admin guard rely only on a primary key and a row write lock (see <see cref="AdminBootstrapMarker"/>),
/// which every relational database provides, so no isolation level or provider-specific SQL is needed.
/// </summary>
internal sealed class EFCoreAdminUserStore<TContext>(StoreContextFactory<TContext> contexts, TimeProvider timeProvider) : IAdminUserStore
    where TContext : DbContext
{
    public async ValueTask<AdminUser?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<AdminUser>().AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<AdminUser?> FindByNormalizedUserNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalizedUserName);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await lease.Context.Set<AdminUser>().AsNoTracking()
            .Where(u => u.NormalizedUserName == normalizedUserName)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return candidates.Find(u => string.Equals(u.NormalizedUserName, normalizedUserName, StringComparison.Ordinal));
    }

    public async ValueTask<ApiKeyStoreResult> CreateAsync(AdminUser user, bool onlyIfNoAdminExists, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        if (!onlyIfNoAdminExists)
        {
            db.Add(user.Clone());
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return ApiKeyStoreResult.Success;
            }
            catch (DbUpdateException)
            {
                if (await ExistsAsync(db, user, cancellationToken).ConfigureAwait(false))
                {
                    return ApiKeyStoreResult.Duplicate;
                }

                throw;
            }
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            ct => BootstrapAsync(db, user, ct), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<AdminUser>().LongCountAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AdminUser> ListAsync(int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        List<AdminUser> page;
        await using (var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false))
        {
            page = await lease.Context.Set<AdminUser>().AsNoTracking()
                .OrderBy(u => u.CreatedAt)
                .ThenBy(u => u.Id)
                .Skip(skip)
                .Take(take)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var user in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return user;
        }
    }

    public async ValueTask<ApiKeyStoreResult> UpdateAsync(AdminUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;

        // Attached as modified, the caller's stamp is the original value: the UPDATE carries
        // "WHERE ConcurrencyStamp = @callerStamp" and touches no row if someone else saved in between.
        var entry = db.Attach(user.Clone());
        entry.State = EntityState.Modified;
        var stamp = Guid.NewGuid().ToString("N");
        entry.Property(u => u.ConcurrencyStamp).CurrentValue = stamp;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await db.Set<AdminUser>().AnyAsync(u => u.Id == user.Id, cancellationToken).ConfigureAwait(false)
                ? ApiKeyStoreResult.Conflict
                : ApiKeyStoreResult.NotFound;
        }
        catch (DbUpdateException ex)
        {
            db.ChangeTracker.Clear();
            if (await db.Set<AdminUser>().AnyAsync(u => u.Id != user.Id && u.NormalizedUserName == user.NormalizedUserName, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("Another admin already has that user name.", ex);
            }

            throw;
        }

        user.ConcurrencyStamp = stamp;
        return ApiKeyStoreResult.Success;
    }

    public async ValueTask<ApiKeyStoreResult> TryUpdateLoginFailuresAsync(
        Guid id,
        int expectedFailedLoginCount,
        DateTimeOffset? expectedLockoutEndsAt,
        int failedLoginCount,
        DateTimeOffset? lockoutEndsAt,
        CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var matching = lease.Context.Set<AdminUser>().Where(u => u.Id == id && u.FailedLoginCount == expectedFailedLoginCount);
        matching = expectedLockoutEndsAt is { } expectedEnd
            ? matching.Where(u => u.LockoutEndsAt == expectedEnd)
            : matching.Where(u => u.LockoutEndsAt == null);
        var stamp = Guid.NewGuid().ToString("N");

        // One UPDATE … WHERE on the state that was read: the database applies it to the current row under its
        // write lock, so of two calls made from the same state only one finds the row still matching.
        var updated = await matching.ExecuteUpdateAsync(
            s => s.SetProperty(u => u.FailedLoginCount, failedLoginCount)
                .SetProperty(u => u.LockoutEndsAt, lockoutEndsAt)
                .SetProperty(u => u.ConcurrencyStamp, stamp),
            cancellationToken).ConfigureAwait(false);
        if (updated == 1)
        {
            return ApiKeyStoreResult.Success;
        }

        return await lease.Context.Set<AdminUser>().AnyAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false)
            ? ApiKeyStoreResult.Conflict
            : ApiKeyStoreResult.NotFound;
    }

    public async ValueTask<ApiKeyStoreResult> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var admins = db.Set<AdminUser>();
        if (!await admins.AnyAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false))
        {
            return ApiKeyStoreResult.NotFound;
        }

        // An admin exists and the last one is never deleted, so from here on the store is bootstrapped for
        // good: creating the marker row (if an admin was added without a bootstrap) cannot block a bootstrap.
        await EnsureMarkerAsync(db, cancellationToken).ConfigureAwait(false);

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);

                // The write lock on the marker row serialises deletions: a second one waits here until the
                // first commits, then counts what the first left.
                await db.Set<AdminBootstrapMarker>()
                    .Where(m => m.Id == AdminBootstrapMarker.SingletonId)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Version, m => m.Version + 1), ct)
                    .ConfigureAwait(false);

                if (!await admins.AnyAsync(u => u.Id == id, ct).ConfigureAwait(false))
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    return ApiKeyStoreResult.NotFound;
                }

                if (await admins.LongCountAsync(ct).ConfigureAwait(false) <= 1)
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    return ApiKeyStoreResult.Conflict;
                }

                await admins.Where(u => u.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return ApiKeyStoreResult.Success;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiKeyStoreResult> BootstrapAsync(DbContext db, AdminUser user, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var admins = db.Set<AdminUser>();
        if (await admins.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return ApiKeyStoreResult.Conflict;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Inserting the marker first: a concurrent bootstrap blocks on the same primary key (or the database
        // write lock) and then fails on it, whatever the isolation level.
        db.Add(new AdminBootstrapMarker { CreatedAt = timeProvider.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            if (await db.Set<AdminBootstrapMarker>().AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                return ApiKeyStoreResult.Conflict;
            }

            throw;
        }

        // Admins added without a bootstrap (seeded by the host) also close the bootstrap.
        if (await admins.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return ApiKeyStoreResult.Conflict;
        }

        db.Add(user.Clone());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ApiKeyStoreResult.Success;
    }

    private async Task EnsureMarkerAsync(DbContext db, CancellationToken cancellationToken)
    {
        var markers = db.Set<AdminBootstrapMarker>();
        if (await markers.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        db.Add(new AdminBootstrapMarker { CreatedAt = timeProvider.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();

            // Someone else created it first, which is all we needed; anything else is a real failure.
            if (!await markers.AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        db.ChangeTracker.Clear();
    }

    private static async Task<bool> ExistsAsync(DbContext db, AdminUser user, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Set<AdminUser>()
            .AnyAsync(u => u.Id == user.Id || u.NormalizedUserName == user.NormalizedUserName, cancellationToken)
            .ConfigureAwait(false);
    }
}

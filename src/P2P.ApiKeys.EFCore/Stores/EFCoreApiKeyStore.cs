using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using P2P.ApiKeys.EFCore.Configuration;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// <see cref="IApiKeyStore"/> on any EF Core relational provider. Writes that must not overwrite one another
/// (revoke, last-used) are single conditional UPDATE statements that touch only their own columns; rotation
/// is one transaction. Database failures surface as the provider's exceptions (<c>DbException</c>,
/// <see cref="DbUpdateException"/>, <see cref="TimeoutException"/>), which callers treat as "store unavailable".
/// </summary>
internal sealed class EFCoreApiKeyStore<TContext>(StoreContextFactory<TContext> contexts) : IApiKeyStore
    where TContext : DbContext
{
    private const string DuplicateMessage = "An API key with the same id or lookup id already exists.";

    /// <summary>Keys per last-used transaction.</summary>
    internal const int UsageChunkSize = 100;

    /// <summary>
    /// The verification lookup, compiled once per model: it runs on every cache miss, and a compiled query skips
    /// the per-call expression-tree build and query-cache lookup that a LINQ query pays. EF Core refuses to run a
    /// compiled query against a model other than the one it was compiled for, and one context type can have
    /// several models (one per provider), hence the table keyed by model.
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, Func<DbContext, string, IAsyncEnumerable<ApiKeyRecord>>> KeysByLookupId = [];

    private static Func<DbContext, string, IAsyncEnumerable<ApiKeyRecord>> CompileKeysByLookupId(IModel model) =>
        EF.CompileAsyncQuery((DbContext db, string lookupId) =>
            db.Set<ApiKeyRecord>().AsNoTracking().Where(k => k.LookupId == lookupId));

    public async ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var query = KeysByLookupId.GetValue(db.Model, CompileKeysByLookupId);

        // A case-insensitive collation (SQL Server's default) would also match a lookup id that differs in
        // case only; the contract is ordinal.
        await foreach (var candidate in query(db, lookupId).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(candidate.LookupId, lookupId, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    public async ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<ApiKeyRecord>()
            .AsNoTracking()
            .FirstOrDefaultAsync(k => k.Id == id, cancellationToken)
            .ConfigureAwait(false);
    }

    public async ValueTask CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ScopeListConverter.EnsureStorable(key.Scopes);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        db.Add(key.Clone());
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex)
        {
            await ThrowIfDuplicateAsync(db, key, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<ApiKeyRecord>().LongCountAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ApiKeyRecord> ListAsync(int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        List<ApiKeyRecord> page;

        // The page is read whole and the context released before the caller sees the first item, so a slow
        // consumer never holds a connection (or, on SQLite, a read lock).
        await using (var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false))
        {
            page = await lease.Context.Set<ApiKeyRecord>()
                .AsNoTracking()
                .OrderByDescending(k => k.CreatedAt)
                .ThenByDescending(k => k.Id)
                .Skip(skip)
                .Take(take)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var key in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
    }

    public async ValueTask<bool> RevokeAsync(Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var keys = lease.Context.Set<ApiKeyRecord>();
        var changed = await RevokeNoLaterThanAsync(keys, id, revokedAt, cancellationToken).ConfigureAwait(false);
        return changed || await keys.AnyAsync(k => k.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RotateAsync(Guid id, DateTimeOffset revokedAt, ApiKeyRecord replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        ScopeListConverter.EnsureStorable(replacement.Scopes);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;

        // A retrying execution strategy (EnableRetryOnFailure) refuses user transactions unless the whole
        // unit runs inside it; each attempt starts from a clean change tracker.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                var keys = db.Set<ApiKeyRecord>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);

                var stamp = NewStamp();
                var linked = await keys
                    .Where(k => k.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.ReplacedByKeyId, (Guid?)replacement.Id).SetProperty(k => k.ConcurrencyStamp, stamp), ct)
                    .ConfigureAwait(false);
                if (linked == 0)
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    return false;
                }

                await RevokeNoLaterThanAsync(keys, id, revokedAt, ct).ConfigureAwait(false);
                db.Add(replacement.Clone());
                try
                {
                    await db.SaveChangesAsync(ct).ConfigureAwait(false);
                }
                catch (DbUpdateException ex)
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    await ThrowIfDuplicateAsync(db, replacement, ex, ct).ConfigureAwait(false);
                    throw;
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> UpdateLimitsAsync(Guid id, RateLimiting.ApiKeyRateLimit? rateLimit, RateLimiting.ApiKeyQuota? quota, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var stamp = NewStamp();

        // Only the two limit columns (and the stamp): a concurrent revocation or last-used flush is never undone.
        var rows = await lease.Context.Set<ApiKeyRecord>()
            .Where(k => k.Id == id)
            .ExecuteUpdateAsync(
                s => s.SetProperty(k => k.RateLimit, rateLimit).SetProperty(k => k.Quota, quota).SetProperty(k => k.ConcurrencyStamp, stamp),
                cancellationToken)
            .ConfigureAwait(false);
        return rows > 0;
    }

    public async ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lastUsed);
        cancellationToken.ThrowIfCancellationRequested();
        if (lastUsed.Count == 0)
        {
            return;
        }

        // One row per key, latest time wins; updated in id order so that two nodes flushing overlapping
        // batches lock rows in the same order and cannot deadlock.
        var latest = lastUsed
            .GroupBy(p => p.Key)
            .Select(g => (Id: g.Key, UsedAt: g.Max(p => p.Value)))
            .OrderBy(p => p.Id)
            .ToList();

        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        foreach (var chunk in latest.Chunk(UsageChunkSize))
        {
            await RecordUsageChunkAsync(db, chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task RecordUsageChunkAsync(DbContext db, (Guid Id, DateTimeOffset UsedAt)[] chunk, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                // One transaction per chunk: one commit (one fsync on SQLite) for many keys, yet row locks are
                // never held for a whole large batch.
                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                foreach (var (id, usedAt) in chunk)
                {
                    // Only LastUsedAt, only forward: a flush can never undo a revocation or an expiry, even
                    // when it races with one.
                    await db.Set<ApiKeyRecord>()
                        .Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
                        .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, (DateTimeOffset?)usedAt), ct)
                        .ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Sets <see cref="ApiKeyRecord.RevokedAt"/> unless an earlier revocation is already stored.</summary>
    private static async Task<bool> RevokeNoLaterThanAsync(DbSet<ApiKeyRecord> keys, Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        var stamp = NewStamp();
        var rows = await keys
            .Where(k => k.Id == id && (k.RevokedAt == null || k.RevokedAt > revokedAt))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, (DateTimeOffset?)revokedAt).SetProperty(k => k.ConcurrencyStamp, stamp), cancellationToken)
            .ConfigureAwait(false);
        return rows > 0;
    }

    /// <summary>
    /// Tells a duplicate from any other failure by asking the database, since constraint-violation codes are
    /// provider-specific. If the database cannot answer, that failure is what the caller sees.
    /// </summary>
    private static async Task ThrowIfDuplicateAsync(DbContext db, ApiKeyRecord key, DbUpdateException failure, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var exists = await db.Set<ApiKeyRecord>()
            .AnyAsync(k => k.Id == key.Id || k.LookupId == key.LookupId, cancellationToken)
            .ConfigureAwait(false);
        if (exists)
        {
            throw new InvalidOperationException(DuplicateMessage, failure);
        }
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}

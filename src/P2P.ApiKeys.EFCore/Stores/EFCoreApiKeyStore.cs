using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using P2P.ApiKeys.EFCore.Configuration;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// <see cref="IApiKeyStore"/> on any EF Core relational provider. State changes are single UPDATE statements
/// conditional on the concurrency stamp the caller read (rotation: plus "not replaced yet", and the insert of the
/// replacement in the same transaction); last-used writes touch only their own column, only forward. Database failures surface as the provider's exceptions (<c>DbException</c>,
/// <see cref="DbUpdateException"/>, <see cref="TimeoutException"/>), which callers treat as "store unavailable".
/// </summary>
internal sealed class EFCoreApiKeyStore<TContext>(StoreContextFactory<TContext> contexts) : IApiKeyJournalStore
    where TContext : DbContext
{
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

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        CreateCoreAsync(key, null, cancellationToken);

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return CreateCoreAsync(key, journal, cancellationToken);
    }

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return UpdateCoreAsync(key, journal, cancellationToken);
    }

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return RotateCoreAsync(key, replacement, journal, cancellationToken);
    }

    public async ValueTask AppendAsync(ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        AddJournal(lease.Context, journal);
        await lease.Context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the journal's rows to the context: they go in with the change's own <c>SaveChanges</c>.</summary>
    private static void AddJournal(DbContext db, ApiKeyChangeJournal? journal)
    {
        if (journal is not null)
        {
            db.Add(EFCoreAdminAuditStore<TContext>.Copy(journal.Audit));
        }
    }

    private async ValueTask<ApiKeyStoreResult> CreateCoreAsync(ApiKeyRecord key, ApiKeyChangeJournal? journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ScopeListConverter.EnsureStorable(key.Scopes);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        db.Add(key.Clone());
        AddJournal(db, journal); // one SaveChanges: the key and its entry, or neither
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ApiKeyStoreResult.Success;
        }
        catch (DbUpdateException ex)
        {
            if (await IsDuplicateAsync(db, key, ex, cancellationToken).ConfigureAwait(false))
            {
                return ApiKeyStoreResult.Duplicate;
            }

            throw;
        }
    }

    public async ValueTask<long> CountAsync(ApiKeyFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await Filter(lease.Context.Set<ApiKeyRecord>(), filter).LongCountAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ApiKeyRecord> ListAsync(ApiKeyFilter filter, int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        List<ApiKeyRecord> page;

        // The page is read whole and the context released before the caller sees the first item, so a slow
        // consumer never holds a connection (or, on SQLite, a read lock).
        await using (var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false))
        {
            page = await Filter(lease.Context.Set<ApiKeyRecord>().AsNoTracking(), filter)
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

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        UpdateCoreAsync(key, null, cancellationToken);

    private async ValueTask<ApiKeyStoreResult> UpdateCoreAsync(ApiKeyRecord key, ApiKeyChangeJournal? journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ScopeListConverter.EnsureStorable(key.Scopes);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        if (journal is not null)
        {
            return await UpdateJournaledAsync(lease.Context, key, journal, cancellationToken).ConfigureAwait(false);
        }

        var keys = lease.Context.Set<ApiKeyRecord>();
        var (id, expected, stamp) = (key.Id, key.ConcurrencyStamp, NewStamp());
        var (name, scopes, metadata, enabled, expiresAt, revokedAt) = (key.Name, key.Scopes, key.Metadata, key.Enabled, key.ExpiresAt, key.RevokedAt);
        var (rateLimit, quota) = (key.RateLimit, key.Quota);

        // One statement, conditional on the state the caller read: of concurrent changes exactly one matches.
        var rows = await keys
            .Where(k => k.Id == id && k.ConcurrencyStamp == expected)
            .ExecuteUpdateAsync(
                s => s.SetProperty(k => k.Name, name)
                    .SetProperty(k => k.Scopes, scopes)
                    .SetProperty(k => k.Metadata, metadata)
                    .SetProperty(k => k.Enabled, enabled)
                    .SetProperty(k => k.ExpiresAt, expiresAt)
                    .SetProperty(k => k.RevokedAt, revokedAt)
                    .SetProperty(k => k.RateLimit, rateLimit)
                    .SetProperty(k => k.Quota, quota)
                    .SetProperty(k => k.ConcurrencyStamp, stamp),
                cancellationToken)
            .ConfigureAwait(false);
        if (rows > 0)
        {
            key.ConcurrencyStamp = stamp;
            return ApiKeyStoreResult.Success;
        }

        return await keys.AnyAsync(k => k.Id == id, cancellationToken).ConfigureAwait(false) ? ApiKeyStoreResult.Conflict : ApiKeyStoreResult.NotFound;
    }

    /// <summary>
    /// The conditional update and the journal's inserts in one transaction: the UPDATE first (its row lock settles a race),
    /// then the inserts in one <c>SaveChanges</c>, then the commit; a lost race rolls back and writes nothing.
    /// </summary>
    private static async ValueTask<ApiKeyStoreResult> UpdateJournaledAsync(DbContext db, ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        var (id, expected, stamp) = (key.Id, key.ConcurrencyStamp, NewStamp());
        var (name, scopes, metadata, enabled, expiresAt, revokedAt) = (key.Name, key.Scopes, key.Metadata, key.Enabled, key.ExpiresAt, key.RevokedAt);
        var (rateLimit, quota) = (key.RateLimit, key.Quota);
        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                var keys = db.Set<ApiKeyRecord>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                var rows = await keys
                    .Where(k => k.Id == id && k.ConcurrencyStamp == expected)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(k => k.Name, name)
                            .SetProperty(k => k.Scopes, scopes)
                            .SetProperty(k => k.Metadata, metadata)
                            .SetProperty(k => k.Enabled, enabled)
                            .SetProperty(k => k.ExpiresAt, expiresAt)
                            .SetProperty(k => k.RevokedAt, revokedAt)
                            .SetProperty(k => k.RateLimit, rateLimit)
                            .SetProperty(k => k.Quota, quota)
                            .SetProperty(k => k.ConcurrencyStamp, stamp),
                        ct)
                    .ConfigureAwait(false);
                if (rows == 0)
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    return await keys.AnyAsync(k => k.Id == id, ct).ConfigureAwait(false) ? ApiKeyStoreResult.Conflict : ApiKeyStoreResult.NotFound;
                }

                AddJournal(db, journal);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return ApiKeyStoreResult.Success;
            },
            cancellationToken).ConfigureAwait(false);
        if (result == ApiKeyStoreResult.Success)
        {
            key.ConcurrencyStamp = stamp;
        }

        return result;
    }

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken) =>
        RotateCoreAsync(key, replacement, null, cancellationToken);

    private async ValueTask<ApiKeyStoreResult> RotateCoreAsync(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal? journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(replacement);
        ScopeListConverter.EnsureStorable(replacement.Scopes);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var (id, expected, revokedAt, replacementId) = (key.Id, key.ConcurrencyStamp, key.RevokedAt, (Guid?)replacement.Id);

        // A retrying execution strategy (EnableRetryOnFailure) refuses user transactions unless the whole
        // unit runs inside it; each attempt starts from a clean change tracker.
        var (result, stamp) = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                var keys = db.Set<ApiKeyRecord>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);

                // Conditional on the state the caller read and on "not replaced yet", in the statement that changes it:
                // of concurrent rotations (or a rotation and a revocation) exactly one matches, and the row lock it
                // takes holds the others until this transaction ends.
                var stamp = NewStamp();
                var linked = await keys
                    .Where(k => k.Id == id && k.ConcurrencyStamp == expected && k.ReplacedByKeyId == null)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(k => k.ReplacedByKeyId, replacementId)
                            .SetProperty(k => k.RevokedAt, revokedAt)
                            .SetProperty(k => k.ConcurrencyStamp, stamp),
                        ct)
                    .ConfigureAwait(false);
                if (linked == 0)
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    var exists = await keys.AnyAsync(k => k.Id == id, ct).ConfigureAwait(false);
                    return (exists ? ApiKeyStoreResult.Conflict : ApiKeyStoreResult.NotFound, stamp);
                }

                db.Add(replacement.Clone());
                AddJournal(db, journal);
                try
                {
                    await db.SaveChangesAsync(ct).ConfigureAwait(false);
                }
                catch (DbUpdateException ex)
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                    if (await IsDuplicateAsync(db, replacement, ex, ct).ConfigureAwait(false))
                    {
                        return (ApiKeyStoreResult.Duplicate, stamp);
                    }

                    throw;
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return (ApiKeyStoreResult.Success, stamp);
            },
            cancellationToken).ConfigureAwait(false);
        if (result == ApiKeyStoreResult.Success)
        {
            key.ConcurrencyStamp = stamp;
            key.ReplacedByKeyId = replacementId;
        }

        return result;
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

    /// <summary>The filter as SQL: the same rules as <see cref="ApiKeyFilter.Matches"/>.</summary>
    private static IQueryable<ApiKeyRecord> Filter(IQueryable<ApiKeyRecord> keys, ApiKeyFilter filter)
    {
        if (filter.Owner is { } owner)
        {
            keys = keys.Where(k => k.Owner == owner);
        }

        var asOf = filter.AsOf;
        return filter.State switch
        {
            ApiKeyState.Active => keys.Where(k => (k.RevokedAt == null || k.RevokedAt > asOf) && (k.ExpiresAt == null || k.ExpiresAt > asOf)),
            ApiKeyState.Revoked => keys.Where(k => k.RevokedAt != null && k.RevokedAt <= asOf),
            ApiKeyState.Expired => keys.Where(k => (k.RevokedAt == null || k.RevokedAt > asOf) && k.ExpiresAt != null && k.ExpiresAt <= asOf),
            null => keys,
            _ => keys.Where(k => false),
        };
    }

    /// <summary>
    /// Tells a duplicate from any other failure by asking the database, since constraint-violation codes are
    /// provider-specific. If the database cannot answer, that failure is what the caller sees.
    /// </summary>
    private static async Task<bool> IsDuplicateAsync(DbContext db, ApiKeyRecord key, DbUpdateException failure, CancellationToken cancellationToken)
    {
        _ = failure;
        db.ChangeTracker.Clear();
        var (id, lookupId) = (key.Id, key.LookupId);
        return await db.Set<ApiKeyRecord>()
            .AnyAsync(k => k.Id == id || k.LookupId == lookupId, cancellationToken)
            .ConfigureAwait(false);
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}

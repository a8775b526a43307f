using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// <see cref="IApiKeyEventOutbox"/> on any EF Core relational provider. On PostgreSQL a claim is one statement,
/// <c>WITH due AS MATERIALIZED (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) UPDATE … FROM due RETURNING id</c> (a CTE, not
/// <c>IN (subquery)</c>, whose LIMIT the planner may evaluate more than once): dispatchers of several nodes claiming at
/// the same time skip each other's rows instead of waiting. Elsewhere (SQLite) each candidate is claimed by a
/// conditional UPDATE of its lease columns (only while unleased or expired), so of concurrent claimers exactly one wins.
/// </summary>
internal sealed class EFCoreApiKeyEventOutbox<TContext>(StoreContextFactory<TContext> contexts) : IApiKeyEventOutbox
    where TContext : DbContext
{
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public async Task<IReadOnlyList<ApiKeyEventRecord>> ClaimAsync(string node, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var rows = db.Set<ApiKeyEventRecord>();
        List<Guid> claimed;
        if (string.Equals(db.Database.ProviderName, NpgsqlProvider, StringComparison.Ordinal))
        {
            claimed = await ClaimSkipLockedAsync(db, node, now, leaseUntil, max, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var candidates = await rows.AsNoTracking()
                .Where(e => e.DeliveredAt == null && e.FailedAt == null && e.NextAttemptAt <= now && (e.LeaseUntil == null || e.LeaseUntil <= now))
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
                .Select(e => new { e.Id, e.LeaseUntil })
                .Take(max)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            claimed = new List<Guid>(candidates.Count);
            foreach (var candidate in candidates)
            {
                var (id, seen) = (candidate.Id, candidate.LeaseUntil);

                // Only if nobody claimed it since it was read: the lease seen is still the one stored.
                var won = await rows
                    .Where(e => e.Id == id && e.DeliveredAt == null && e.FailedAt == null && e.LeaseUntil == seen)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, node).SetProperty(e => e.LeaseUntil, (DateTimeOffset?)leaseUntil), cancellationToken)
                    .ConfigureAwait(false);
                if (won == 1)
                {
                    claimed.Add(id);
                }
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var result = await rows.AsNoTracking().Where(e => claimed.Contains(e.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. result.OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)];
    }

    private static async Task<List<Guid>> ClaimSkipLockedAsync(DbContext db, string node, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(ApiKeyEventRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => "\"" + entity.FindProperty(property)!.GetColumnName(table) + "\"";
        var name = (entity.GetSchema() is { } schema ? $"\"{schema}\"." : "") + $"\"{entity.GetTableName()}\"";
        var (id, delivered, failed, next, leaseCol, owner) =
            (Column(nameof(ApiKeyEventRecord.Id)), Column(nameof(ApiKeyEventRecord.DeliveredAt)), Column(nameof(ApiKeyEventRecord.FailedAt)),
             Column(nameof(ApiKeyEventRecord.NextAttemptAt)), Column(nameof(ApiKeyEventRecord.LeaseUntil)), Column(nameof(ApiKeyEventRecord.LeaseOwner)));
#pragma warning disable EF1002 // The identifiers come from the model, never from input; the values are parameters.
        return await db.Database.SqlQueryRaw<Guid>(
            $$"""
            WITH due AS MATERIALIZED (
                SELECT {{id}} FROM {{name}}
                WHERE {{delivered}} IS NULL AND {{failed}} IS NULL AND {{next}} <= {2} AND ({{leaseCol}} IS NULL OR {{leaseCol}} <= {2})
                ORDER BY {{next}}, {{id}}
                LIMIT {3}
                FOR UPDATE SKIP LOCKED)
            UPDATE {{name}} AS e SET {{owner}} = {0}, {{leaseCol}} = {1}
            FROM due WHERE e.{{id}} = due.{{id}}
            RETURNING e.{{id}} AS "Value"
            """,
            node, leaseUntil.UtcTicks, now.UtcTicks, max).ToListAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore EF1002
    }

    public async Task<bool> CompleteAsync(ApiKeyEventRecord row, string node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(node);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var (id, held, attempts, next, delivered, failed) = (row.Id, row.LeaseUntil, row.Attempts, row.NextAttemptAt, row.DeliveredAt, row.FailedAt);
        var updated = await lease.Context.Set<ApiKeyEventRecord>()
            .Where(e => e.Id == id && e.LeaseOwner == node && e.LeaseUntil == held)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.Attempts, attempts)
                    .SetProperty(e => e.NextAttemptAt, next)
                    .SetProperty(e => e.DeliveredAt, delivered)
                    .SetProperty(e => e.FailedAt, failed)
                    .SetProperty(e => e.LeaseOwner, (string?)null)
                    .SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }

    public async Task<bool> TryAddAsync(ApiKeyEventRecord row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        db.Add(row.Clone());
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // The primary key settles a race between nodes: if the row is there now, another node added it.
            db.ChangeTracker.Clear();
            var id = row.Id;
            if (await db.Set<ApiKeyEventRecord>().AnyAsync(e => e.Id == id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    public async Task<int> PruneAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var rows = lease.Context.Set<ApiKeyEventRecord>();
        // Two statements, portable across providers: the batch's ids, then a DELETE of exactly those (pending rows never match).
        var ids = await rows.AsNoTracking()
            .Where(e => (e.DeliveredAt != null && e.DeliveredAt < before) || (e.FailedAt != null && e.FailedAt < before))
            .OrderBy(e => e.Id)
            .Select(e => e.Id)
            .Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return ids.Count == 0 ? 0 : await rows.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<ApiKeyEventRecord>().LongCountAsync(e => e.DeliveredAt == null && e.FailedAt == null, cancellationToken).ConfigureAwait(false);
    }
}

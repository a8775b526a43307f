using Microsoft.EntityFrameworkCore;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// <see cref="IApiKeyQuotaCountStore"/> on any EF Core relational provider: one row per key lineage, replaced on each
/// write, read back at start-up while its period runs.
/// </summary>
internal sealed class EFCoreQuotaCountStore<TContext>(StoreContextFactory<TContext> contexts) : IApiKeyQuotaCountStore
    where TContext : DbContext
{
    private const int ChunkSize = 500;

    public async ValueTask<IReadOnlyList<ApiKeyQuotaCount>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var rows = await lease.Context.Set<ApiKeyQuotaCountRow>().AsNoTracking()
            .Where(r => r.PeriodEnd > now)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(static r => new ApiKeyQuotaCount(r.LineageId, r.PeriodStart, r.PeriodEnd, r.Count));
    }

    public async ValueTask SaveAsync(IReadOnlyCollection<ApiKeyQuotaCount> counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0)
        {
            return;
        }

        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;

        // In lineage order, one transaction (one commit) per chunk: many counts per fsync, no lock held for a whole batch.
        foreach (var chunk in counts.DistinctBy(c => c.LineageId).OrderBy(c => c.LineageId).Chunk(ChunkSize))
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(
                async ct =>
                {
                    db.ChangeTracker.Clear();
                    var ids = chunk.Select(c => c.LineageId).ToList();
                    var existing = await db.Set<ApiKeyQuotaCountRow>().Where(r => ids.Contains(r.LineageId))
                        .ToDictionaryAsync(r => r.LineageId, ct).ConfigureAwait(false);
                    foreach (var count in chunk)
                    {
                        if (!existing.TryGetValue(count.LineageId, out var row))
                        {
                            row = new ApiKeyQuotaCountRow { LineageId = count.LineageId };
                            db.Add(row);
                        }

                        row.PeriodStart = count.PeriodStart;
                        row.PeriodEnd = count.PeriodEnd;
                        row.Count = count.Count;
                    }

                    await db.SaveChangesAsync(ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }
}

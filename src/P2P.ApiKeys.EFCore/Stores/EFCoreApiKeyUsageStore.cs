using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// <see cref="IApiKeyUsageStore"/> on EF Core. An increment is one additive upsert
/// (<c>INSERT … ON CONFLICT (key, granularity, start) DO UPDATE SET allowed = allowed + excluded.allowed, …</c>, which
/// PostgreSQL and SQLite both speak), so nodes flushing the same bucket at once each add their own counts and none is
/// lost. The client sketch is merged in the same transaction, after the upsert has locked the row (PostgreSQL's row
/// lock; SQLite's write lock, taken when the transaction begins): read, merge, write back only when it grew.
/// </summary>
internal sealed class EFCoreApiKeyUsageStore<TContext>(StoreContextFactory<TContext> contexts) : IApiKeyUsageStore
    where TContext : DbContext
{
    /// <summary>Buckets per transaction: one commit for many, yet no lock is held for a whole large flush.</summary>
    internal const int ChunkSize = 100;

    private static readonly ConditionalWeakTable<IModel, string> UpsertSqlByModel = [];

    public async ValueTask AddAsync(IReadOnlyCollection<ApiKeyUsageRecord> increments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(increments);
        cancellationToken.ThrowIfCancellationRequested();
        if (increments.Count == 0)
        {
            return;
        }

        // One increment per bucket, in key order: two nodes flushing overlapping buckets lock rows in the same order.
        var rows = increments
            .GroupBy(i => (i.KeyId, i.Granularity, i.Start.UtcTicks))
            .Select(Combine)
            .OrderBy(r => r.KeyId)
            .ThenBy(r => r.Granularity)
            .ThenBy(r => r.Start)
            .ToList();

        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        var sql = UpsertSqlByModel.GetValue(db.Model, _ => BuildUpsertSql(db));
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(
                async ct =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                    foreach (var row in chunk)
                    {
                        await UpsertAsync(db, sql, row, ct).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyList<ApiKeyUsageRecord>> ListAsync(ApiKeyUsageFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var granularity = filter.Granularity;
        var from = filter.From;
        var to = filter.To;
        var query = lease.Context.Set<ApiKeyUsageRecord>().AsNoTracking()
            .Where(u => u.Granularity == granularity && u.Start >= from && u.Start < to);
        if (filter.KeyId is { } keyId)
        {
            query = query.Where(u => u.KeyId == keyId);
        }

        if (filter.LineageId is { } lineageId)
        {
            query = query.Where(u => u.LineageId == lineageId);
        }

        if (filter.Owner is { } owner)
        {
            query = query.Where(u => u.Owner == owner);
        }

        return await query.OrderBy(u => u.KeyId).ThenBy(u => u.Start).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> PruneAsync(ApiKeyUsageGranularity granularity, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<ApiKeyUsageRecord>()
            .Where(u => u.Granularity == granularity && u.Start < before)
            .OrderBy(u => u.Start)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task UpsertAsync(DbContext db, string sql, ApiKeyUsageRecord row, CancellationToken cancellationToken)
    {
        var sketch = row.ClientSketch.Length == 0 ? ApiKeyClientSketch.Create() : row.ClientSketch;
        object?[] parameters =
        [
            row.KeyId, (int)row.Granularity, row.Start.UtcTicks, row.LineageId, (object?)row.Owner ?? DBNull.Value,
            row.Allowed, row.RateLimited, row.QuotaExhausted, row.Forbidden, row.Refused, ApiKeyClientSketch.Estimate(sketch), sketch,
        ];
        await db.Database.ExecuteSqlRawAsync(sql, parameters!, cancellationToken).ConfigureAwait(false);
        if (row.ClientSketch.Length == 0)
        {
            return;
        }

        // The row is locked by the upsert until the commit: this read-merge-write cannot lose another node's clients.
        var keyId = row.KeyId;
        var granularity = row.Granularity;
        var start = row.Start;
        var bucket = db.Set<ApiKeyUsageRecord>().Where(u => u.KeyId == keyId && u.Granularity == granularity && u.Start == start);
        var stored = await bucket.Select(u => u.ClientSketch).FirstAsync(cancellationToken).ConfigureAwait(false);
        var merged = stored.Length == ApiKeyClientSketch.Size ? (byte[])stored.Clone() : ApiKeyClientSketch.Create();
        if (ApiKeyClientSketch.Merge(merged, row.ClientSketch) || stored.Length != ApiKeyClientSketch.Size)
        {
            var clients = ApiKeyClientSketch.Estimate(merged);
            await bucket.ExecuteUpdateAsync(s => s.SetProperty(u => u.ClientSketch, merged).SetProperty(u => u.Clients, clients), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static ApiKeyUsageRecord Combine(IGrouping<(Guid, ApiKeyUsageGranularity, long), ApiKeyUsageRecord> increments)
    {
        var first = increments.First();
        var sum = new ApiKeyUsageRecord
        {
            KeyId = first.KeyId,
            LineageId = first.LineageId,
            Owner = first.Owner,
            Granularity = first.Granularity,
            Start = first.Start.ToUniversalTime(),
        };
        foreach (var increment in increments)
        {
            sum.Allowed += increment.Allowed;
            sum.RateLimited += increment.RateLimited;
            sum.QuotaExhausted += increment.QuotaExhausted;
            sum.Forbidden += increment.Forbidden;
            sum.Refused += increment.Refused;
            if (increment.ClientSketch.Length != 0)
            {
                if (sum.ClientSketch.Length == 0)
                {
                    sum.ClientSketch = ApiKeyClientSketch.Create();
                }

                ApiKeyClientSketch.Merge(sum.ClientSketch, increment.ClientSketch);
            }
        }

        return sum;
    }

    /// <summary>The additive upsert, with the table and column names of the host's model, quoted by its provider.</summary>
    private static string BuildUpsertSql(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(ApiKeyUsageRecord))
            ?? throw new InvalidOperationException(
                $"{db.GetType().Name} does not map the usage history. Call modelBuilder.ApplyApiKeysModel() in its OnModelCreating and add a migration.");
        var sqlHelper = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => sqlHelper.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        string[] keys = [nameof(ApiKeyUsageRecord.KeyId), nameof(ApiKeyUsageRecord.Granularity), nameof(ApiKeyUsageRecord.Start)];
        string[] values = [.. keys, nameof(ApiKeyUsageRecord.LineageId), nameof(ApiKeyUsageRecord.Owner)];
        string[] counts =
        [
            nameof(ApiKeyUsageRecord.Allowed), nameof(ApiKeyUsageRecord.RateLimited), nameof(ApiKeyUsageRecord.QuotaExhausted),
            nameof(ApiKeyUsageRecord.Forbidden), nameof(ApiKeyUsageRecord.Refused),
        ];
        string[] all = [.. values, .. counts, nameof(ApiKeyUsageRecord.Clients), nameof(ApiKeyUsageRecord.ClientSketch)];
        var tableName = sqlHelper.DelimitIdentifier(table.Name, table.Schema);
        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(tableName).Append(" (").AppendJoin(", ", all.Select(Column)).Append(") VALUES (")
            .AppendJoin(", ", all.Select((_, i) => "{" + i + "}")).Append(") ON CONFLICT (").AppendJoin(", ", keys.Select(Column))
            .Append(") DO UPDATE SET ")
            .AppendJoin(", ", counts.Select(c => $"{Column(c)} = {tableName}.{Column(c)} + excluded.{Column(c)}"));
        return sql.ToString();
    }
}

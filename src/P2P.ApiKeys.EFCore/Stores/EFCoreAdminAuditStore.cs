using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>Append-only <see cref="IAdminAuditStore"/> on any EF Core relational provider.</summary>
internal sealed class EFCoreAdminAuditStore<TContext>(StoreContextFactory<TContext> contexts) : IAdminAuditStore
    where TContext : DbContext
{
    public async ValueTask AppendAsync(AdminAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        lease.Context.Add(Copy(entry));
        await lease.Context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A copy to track: the caller's entry is never attached to a context.</summary>
    internal static AdminAuditEntry Copy(AdminAuditEntry entry) => new()
    {
        Id = entry.Id,
        OccurredAt = entry.OccurredAt,
        Action = entry.Action,
        Actor = entry.Actor,
        ActorKind = entry.ActorKind,
        Target = entry.Target,
        ClientAddress = entry.ClientAddress,
        KeyId = entry.KeyId,
        Owner = entry.Owner,
    };

    public async IAsyncEnumerable<AdminAuditEntry> QueryAsync(AdminAuditQuery query, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        List<AdminAuditEntry> page;
        await using (var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false))
        {
            IQueryable<AdminAuditEntry> entries = lease.Context.Set<AdminAuditEntry>().AsNoTracking();
            if (query.KeyId is { } keyId)
            {
                entries = entries.Where(e => e.KeyId == keyId);
            }

            if (query.Owner is { } owner)
            {
                entries = entries.Where(e => e.Owner == owner);
            }

            if (query.Actor is { } actor)
            {
                entries = entries.Where(e => e.Actor == actor);
            }

            if (query.Action is { } action)
            {
                entries = entries.Where(e => e.Action == action);
            }

            if (query.From is { } from)
            {
                entries = entries.Where(e => e.OccurredAt >= from);
            }

            if (query.To is { } to)
            {
                entries = entries.Where(e => e.OccurredAt < to);
            }

            if (query.AfterOccurredAt is { } at && query.AfterId is { } afterId)
            {
                // Keyset: strictly after the last entry read, in the order of the index (time, id), in SQL.
                entries = entries.Where(e => e.OccurredAt < at || (e.OccurredAt == at && e.Id < afterId));
            }

            page = await entries
                .OrderByDescending(e => e.OccurredAt)
                .ThenByDescending(e => e.Id)
                .Take(take)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        return await lease.Context.Set<AdminAuditEntry>().LongCountAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AdminAuditEntry> ListAsync(int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        List<AdminAuditEntry> page;
        await using (var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false))
        {
            page = await lease.Context.Set<AdminAuditEntry>().AsNoTracking()
                .OrderByDescending(e => e.OccurredAt)
                .ThenByDescending(e => e.Id)
                .Skip(skip)
                .Take(take)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }
}

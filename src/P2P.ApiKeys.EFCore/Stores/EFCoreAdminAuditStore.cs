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
        lease.Context.Add(new AdminAuditEntry
        {
            Id = entry.Id,
            OccurredAt = entry.OccurredAt,
            Action = entry.Action,
            Actor = entry.Actor,
            ActorKind = entry.ActorKind,
            Target = entry.Target,
            ClientAddress = entry.ClientAddress,
        });
        await lease.Context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
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

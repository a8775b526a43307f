using Microsoft.EntityFrameworkCore;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary><see cref="IApiKeyOwnerLimitStore"/> on any EF Core relational provider: one row per owner with a budget.</summary>
internal sealed class EFCoreOwnerLimitStore<TContext>(StoreContextFactory<TContext> contexts) : IApiKeyOwnerLimitStore
    where TContext : DbContext
{
    public async ValueTask<ApiKeyOwnerLimits?> GetAsync(string owner, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var row = await lease.Context.Set<ApiKeyOwnerLimitRow>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.Owner == owner, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new ApiKeyOwnerLimits(row.RateLimit, row.Quota);
    }

    public async ValueTask SetAsync(string owner, ApiKeyOwnerLimits? limits, CancellationToken cancellationToken)
    {
        await using var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        var db = lease.Context;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                // Two first writes for one owner race to insert its row: the loser reads the winner's row and
                // overwrites it (last writer wins, as for any later write), instead of failing on the unique key.
                for (var attempt = 1; ; attempt++)
                {
                    db.ChangeTracker.Clear();
                    var row = await db.Set<ApiKeyOwnerLimitRow>().FirstOrDefaultAsync(r => r.Owner == owner, ct).ConfigureAwait(false);
                    var inserting = false;
                    if (limits is null || limits.IsEmpty)
                    {
                        if (row is not null)
                        {
                            db.Remove(row);
                        }
                    }
                    else
                    {
                        if (row is null)
                        {
                            row = new ApiKeyOwnerLimitRow { Owner = owner };
                            db.Add(row);
                            inserting = true;
                        }

                        row.RateLimit = limits.RateLimit;
                        row.Quota = limits.Quota;
                    }

                    try
                    {
                        await db.SaveChangesAsync(ct).ConfigureAwait(false);
                        return;
                    }
                    catch (DbUpdateConcurrencyException) when (attempt < 3)
                    {
                        // the row was removed (or changed) under us: start again from what is there now
                    }
                    catch (DbUpdateException) when (inserting && attempt < 3)
                    {
                        // another writer inserted the owner's row first: read it and write over it
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}

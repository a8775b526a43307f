using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>A context lent to one store operation; disposing it releases the context and its scope.</summary>
internal sealed class StoreContext(DbContext context, DbContext? owned, AsyncServiceScope scope) : IAsyncDisposable
{
    public DbContext Context { get; } = context;

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }

        await scope.DisposeAsync().ConfigureAwait(false);
    }
}

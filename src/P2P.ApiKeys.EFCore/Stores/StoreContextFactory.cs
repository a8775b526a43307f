using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// Gives each store operation a fresh <typeparamref name="TContext"/>. The stores are singletons (the
/// verification cache and the last-used flusher that use them are), and a <see cref="DbContext"/> is neither
/// thread-safe nor meant to live long, so no context is ever shared between operations. The context comes from
/// <see cref="IDbContextFactory{TContext}"/> when the host registered one (<c>AddDbContextFactory</c>, pooled
/// or not), else from a new DI scope (<c>AddDbContext</c>).
/// </summary>
internal sealed class StoreContextFactory<TContext>(IServiceScopeFactory scopes)
    where TContext : DbContext
{
    public async ValueTask<StoreContext> CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var scope = scopes.CreateAsyncScope();
        DbContext? owned = null;
        try
        {
            DbContext context;
            var factory = scope.ServiceProvider.GetService<IDbContextFactory<TContext>>();
            if (factory is not null)
            {
                context = owned = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                context = scope.ServiceProvider.GetService<TContext>()
                    ?? throw new InvalidOperationException(
                        $"No {typeof(TContext).Name} is registered. Register it with AddPooledDbContextFactory<{typeof(TContext).Name}>(), AddDbContextFactory<{typeof(TContext).Name}>() or AddDbContext<{typeof(TContext).Name}>() before using the P2P.ApiKeys EF Core stores.");
            }

            if (context.Model.FindEntityType(typeof(ApiKeyRecord)) is null)
            {
                throw new InvalidOperationException(
                    $"{typeof(TContext).Name} does not map the P2P.ApiKeys tables. Call modelBuilder.ApplyApiKeysModel() in its OnModelCreating, or use ApiKeysDbContext.");
            }

            return new StoreContext(context, owned, scope);
        }
        catch
        {
            if (owned is not null)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }

            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>How a host registers its context; the stores must work with each.</summary>
internal enum ContextRegistration
{
    /// <summary><c>AddDbContextFactory</c>: a new context per store operation.</summary>
    Factory,

    /// <summary><c>AddPooledDbContextFactory</c>: contexts reset and reused (the registration docs/efcore.md recommends).</summary>
    PooledFactory,

    /// <summary><c>AddDbContext</c>: a scoped context, reached through a new DI scope per store operation.</summary>
    Scoped,
}

/// <summary>Builds a service provider the way a host would: its context, then AddApiKeyAuth + EF Core stores.</summary>
internal static class StoreServices
{
    public static ServiceProvider Build(Action<DbContextOptionsBuilder> configure, ContextRegistration registration = ContextRegistration.Factory)
    {
        var services = new ServiceCollection();
        // A host has these; AddApiKeyAuth's authentication and authorization services need them.
        services.AddLogging();
        services.AddRouting();
        _ = registration switch
        {
            ContextRegistration.Factory => services.AddDbContextFactory<ApiKeysDbContext>(configure),
            ContextRegistration.PooledFactory => services.AddPooledDbContextFactory<ApiKeysDbContext>(configure),
            ContextRegistration.Scoped => services.AddDbContext<ApiKeysDbContext>(configure),
            _ => throw new ArgumentOutOfRangeException(nameof(registration)),
        };

        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public static async Task EnsureCreatedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetService<IDbContextFactory<ApiKeysDbContext>>();
        await using var db = factory is null
            ? scope.ServiceProvider.GetRequiredService<ApiKeysDbContext>()
            : await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
    }
}

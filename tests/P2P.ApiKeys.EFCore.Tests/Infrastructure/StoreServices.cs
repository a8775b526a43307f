using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>Builds a service provider the way a host would: its context, then AddApiKeyAuth + EF Core stores.</summary>
internal static class StoreServices
{
    public static ServiceProvider Build(Action<DbContextOptionsBuilder> configure, bool useFactory = true)
    {
        var services = new ServiceCollection();
        // A host has these; AddApiKeyAuth's authentication and authorization services need them.
        services.AddLogging();
        services.AddRouting();
        if (useFactory)
        {
            services.AddDbContextFactory<ApiKeysDbContext>(configure);
        }
        else
        {
            services.AddDbContext<ApiKeysDbContext>(configure);
        }

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

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>SECURITY.md 19: a store that is down gets a 503 ProblemDetails, never a 500 or a stack trace.</summary>
public sealed class AdminStoreFailureTests
{
    [Fact]
    public async Task AdminRoutes_AdminStoreDown_Return503ProblemWithoutStackTrace()
    {
        FailingAdminUserStore? store = null;
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IAdminUserStore>(
            _ => store = new FailingAdminUserStore(new InMemoryStoresProbe().AdminUsers))));
        var token = await host.BootstrapAsync();
        store!.Failure = new InvalidOperationException("connection refused to db.internal:5432");

        using var withToken = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        using var login = await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);
        using var bootstrap = await host.CreateAdminAsync("bob", "bob's long passphrase");

        foreach (var response in new[] { withToken, login, bootstrap })
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.DoesNotContain("db.internal", problem.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", problem.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "AdminStoreUnavailable");
    }

    /// <summary>Builds the library's own in-memory admin store through its public registration.</summary>
    private sealed class InMemoryStoresProbe
    {
        public IAdminUserStore AdminUsers { get; } = new ServiceCollection().AddApiKeyAuth().AddInMemoryStores().Services
            .BuildServiceProvider().GetRequiredService<IAdminUserStore>();
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;

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

    [Fact]
    public async Task KeyWrites_ApiKeyStoreDown_Return503ProblemAndLeaveNothingHalfWritten()
    {
        FailingWritesApiKeyStore? store = null;
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(
            _ => store = new FailingWritesApiKeyStore(new InMemoryStoresProbe().ApiKeys))));
        var token = await host.BootstrapAsync();
        var existing = await host.CreateKeyAsync(token);
        var existingId = existing.GetProperty("id").GetString()!;
        store!.WriteFailure = new InvalidOperationException("connection refused to db.internal:5432");

        using var create = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name":"Never stored"}"""));
        using var rotate = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{existingId}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":60}"""));
        using var revoke = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{existingId}", token);

        foreach (var response in new[] { create, rotate, revoke })
        {
            var problem = (await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable)).ToString();
            Assert.DoesNotContain("db.internal", problem, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("p2p_", problem, StringComparison.Ordinal); // no key minted and shown for a write that failed
        }

        // Nothing half-written: still exactly the one key, unrevoked, not linked to a replacement, and no audit entry claims otherwise.
        store.WriteFailure = null;
        Assert.Equal(1, await host.Keys.CountAsync(TestContext.Current.CancellationToken));
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(existingId), TestContext.Current.CancellationToken);
        Assert.Null(stored!.RevokedAt);
        Assert.Null(stored.ReplacedByKeyId);
        var audit = await host.Audit.ListAsync(0, 100, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Single(audit, e => e.Action == "key.created");
        Assert.DoesNotContain(audit, e => e.Action is "key.revoked" or "key.rotated");
    }

    /// <summary>Builds the library's own in-memory stores through its public registration.</summary>
    private sealed class InMemoryStoresProbe
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddApiKeyAuth().AddInMemoryStores().Services.BuildServiceProvider();

        public IAdminUserStore AdminUsers => _services.GetRequiredService<IAdminUserStore>();

        public IApiKeyStore ApiKeys => _services.GetRequiredService<IApiKeyStore>();
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>docs/security.md rule 19: a store that is down gets a 503 ProblemDetails, never a 500 or a stack trace.</summary>
public sealed class AdminStoreFailureTests
{
    [Fact]
    public async Task AdminRoutes_AdminStoreDown_Return503ProblemWithoutStackTrace()
    {
        FailingAdminUserStore? store = null;
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IAdminUserStore>(
            _ => store = new FailingAdminUserStore(new InMemoryStoresProbe().AdminUsers))));
        var token = await host.BootstrapAsync();
        store!.Failure = new StoreDownException("connection refused to db.internal:5432");

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
        store!.WriteFailure = new StoreDownException("connection refused to db.internal:5432");

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

    [Fact]
    public async Task KeyWrites_StoreThrowsABug_Return500ProblemWithoutDetails()
    {
        FailingWritesApiKeyStore? store = null;
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(
            _ => store = new FailingWritesApiKeyStore(new InMemoryStoresProbe().ApiKeys))));
        var token = await host.BootstrapAsync();
        _ = host.Keys; // resolves the store
        store!.WriteFailure = new InvalidOperationException("a plain bug in db.internal code");

        using var create = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name":"Never stored"}"""));

        // Not a 503: "retry shortly" would be a lie for a bug.
        var problem = (await ProblemAssert.IsProblemAsync(create, HttpStatusCode.InternalServerError)).ToString();
        Assert.Null(create.Headers.RetryAfter);
        Assert.DoesNotContain("db.internal", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", problem, StringComparison.Ordinal);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "AdminUnexpectedFailure");
    }

    [Fact]
    public async Task CreateKey_AuditStoreFailsAfterTheKeyIsStored_Returns201WithTheKey()
    {
        FailingAuditStore? audit = null;
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IAdminAuditStore>(
            _ => audit = new FailingAuditStore(new InMemoryStoresProbe().Audit))));
        var token = await host.BootstrapAsync();
        audit!.Failure = new StoreDownException("audit table unreachable");

        using var create = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name":"Kept"}"""));
        var created = await create.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        using var rotate = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{created.GetProperty("id").GetString()}/rotate", token);

        // The key is stored, so its one-time plaintext must reach the caller; the lost audit entry is logged (by the manager:
        // with an audit store of its own the in-memory key store cannot write the entry in the change's transaction).
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.StartsWith("p2p_", created.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
        Assert.Equal(2, await host.Keys.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, host.Logs.GetSnapshot().Count(r => r.Id.Name == "ApiKeyAuditWriteFailed"));
    }

    /// <summary>The real in-memory audit store whose appends can fail.</summary>
    private sealed class FailingAuditStore(IAdminAuditStore inner) : IAdminAuditStore
    {
        public Exception? Failure { get; set; }

        public ValueTask AppendAsync(AdminAuditEntry entry, CancellationToken cancellationToken) =>
            Failure is null ? inner.AppendAsync(entry, cancellationToken) : ValueTask.FromException(Failure);

        public ValueTask<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

        public IAsyncEnumerable<AdminAuditEntry> ListAsync(int skip, int take, CancellationToken cancellationToken) => inner.ListAsync(skip, take, cancellationToken);
    }

    /// <summary>Builds the library's own in-memory stores through its public registration.</summary>
    private sealed class InMemoryStoresProbe
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddApiKeyAuth().AddInMemoryStores().Services.BuildServiceProvider();

        public IAdminUserStore AdminUsers => _services.GetRequiredService<IAdminUserStore>();

        public IApiKeyStore ApiKeys => _services.GetRequiredService<IApiKeyStore>();

        public IAdminAuditStore Audit => _services.GetRequiredService<IAdminAuditStore>();
    }
}

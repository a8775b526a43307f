using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Tests.MultiNode;

/// <summary>
/// docs/security.md rule 6 across nodes: two hosts share one database, each with its own verification cache. The
/// node that revokes refuses the key on its next request; the other within <see cref="ApiKeyOptions.CacheTtl"/>.
/// </summary>
public sealed class TwoNodeRevocationTests : IAsyncDisposable
{
    private static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-two-nodes-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Revoke_OnOneNode_OtherNodeRefusesWithinCacheTtl()
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, "shared.db"),
            Pooling = false,
        }.ToString();
        await using var nodeA = await StartNodeAsync(connectionString);
        await using var nodeB = await StartNodeAsync(connectionString);
        var (key, record) = await CreateKeyAsync(nodeA);

        // Both nodes accept the key and cache it.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(nodeA, key));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(nodeB, key));

        // Revoked through node A the way the admin endpoints do it: store, then this node's notifier.
        var storeA = nodeA.Services.GetRequiredService<IApiKeyStore>();
        Assert.Equal(ApiKeyStoreResult.Success, await storeA.RevokeAsync(record.Id, _time.GetUtcNow(), Ct));
        await nodeA.Services.GetRequiredService<IApiKeyChangeNotifier>().KeyChangedAsync(record.LookupId, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(nodeA, key));

        // Node B still serves its cached verification inside the documented bound...
        _time.Advance(CacheTtl - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(nodeB, key));

        // ...and refuses the key once the entry has expired, reading the revocation from the shared store.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(nodeB, key));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(nodeA, key));
    }

    private Task<WebApplication> StartNodeAsync(string connectionString) =>
        ApiKeyNode.StartAsync(o => o.UseSqlite(connectionString), o => o.CacheTtl = CacheTtl, _time);

    private static Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync(WebApplication node) => ApiKeyNode.CreateKeyAsync(node);

    private static Task<HttpStatusCode> CallAsync(WebApplication node, string key) => ApiKeyNode.StatusAsync(node, key);

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

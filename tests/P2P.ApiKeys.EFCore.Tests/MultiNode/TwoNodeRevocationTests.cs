using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Tests.MultiNode;

/// <summary>
/// SECURITY.md rule 6 across nodes: two hosts share one database, each with its own verification cache. The
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
        Assert.True(await storeA.RevokeAsync(record.Id, _time.GetUtcNow(), Ct));
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

    private async Task<WebApplication> StartNodeAsync(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDbContextFactory<ApiKeysDbContext>(o => o.UseSqlite(connectionString));
        builder.Services
            .AddApiKeyAuth(o =>
            {
                o.TimeProvider = _time;
                o.CacheTtl = CacheTtl;
            })
            .AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        var app = builder.Build();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Database.EnsureCreatedAsync(Ct);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", () => "ok").RequireApiKeyScope("p2p:read");
        await app.StartAsync(Ct);
        return app;
    }

    private async Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync(WebApplication node)
    {
        var generated = node.Services.GetRequiredService<ApiKeyFormat>().Generate();
        Assert.Equal(ApiKeyParseStatus.Valid, node.Services.GetRequiredService<ApiKeyFormat>().TryParse(generated.Key, out var parsed));
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(),
            LookupId = generated.LookupId,
            SecretHash = node.Services.GetRequiredService<ApiKeySecretHasher>().Hash(parsed.Secret),
            Name = "two-node key",
            Scopes = ["p2p:read"],
            CreatedAt = _time.GetUtcNow(),
        };
        await node.Services.GetRequiredService<IApiKeyStore>().CreateAsync(record, Ct);
        return (generated.Key, record);
    }

    private static async Task<HttpStatusCode> CallAsync(WebApplication node, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
        request.Headers.Add("X-API-Key", key);
        using var response = await node.GetTestClient().SendAsync(request, Ct);
        return response.StatusCode;
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

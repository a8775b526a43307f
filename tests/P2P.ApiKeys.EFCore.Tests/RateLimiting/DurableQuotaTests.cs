using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.EFCore.Stores;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.EFCore.Tests.RateLimiting;

/// <summary>
/// Quota counts of the one-node limiter outlive the process: a real Kestrel host on a real SQLite file, stopped
/// gracefully and started again, goes on counting exactly where it stopped.
/// </summary>
public sealed class DurableQuotaTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-quota-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "keys.db"), Pooling = false }.ToString();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private async Task<(WebApplication App, HttpClient Client)> StartAsync(TimeSpan flushInterval)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContextFactory<ApiKeysDbContext>(o => o.UseSqlite(ConnectionString));
        builder.Services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>()
            .ConfigureRateLimits(o => o.QuotaFlushInterval = flushInterval);
        var app = builder.Build();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Database.EnsureCreatedAsync(Ct);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", () => "ok").RequireApiKeyScope("p2p:read");
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private static async Task<int> SpendAsync(HttpClient client, string key, int requests)
    {
        var admitted = 0;
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
            request.Headers.Add("X-API-Key", key);
            using var response = await client.SendAsync(request, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        return admitted;
    }

    [Fact]
    public async Task GracefulStopAndStart_KeepsTheQuotaCountExactly()
    {
        string key;
        var (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1)); // only the graceful stop writes
        try
        {
            var created = await app.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
                new() { Name = "Metered", Scopes = ["p2p:read"], Quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Month) }, Ct);
            key = created.Value!.Key;
            Assert.Equal(7, await SpendAsync(client, key, 7));
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }

        (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            Assert.Equal(3, await SpendAsync(client, key, 6)); // 7 + 3 = the quota of 10, not 10 more
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }

        (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            Assert.Equal(0, await SpendAsync(client, key, 2));
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task OwnerBudget_ThreeKeysShareQuota5_ExactlyOnKestrel_AndLimitsAndCountOutliveARestart()
    {
        var keys = new List<string>();
        var (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            var owners = app.Services.GetRequiredService<IApiKeyOwnerLimits>();
            var set = await owners.UpdateAsync(
                "acme", new ApiKeyOwnerLimitsUpdate { Quota = new ApiKeyQuota(5, ApiKeyQuotaPeriod.Month) }, P2P.ApiKeys.Stores.AuditActor.Admin("root"), Ct);
            Assert.True(set.Succeeded, set.Detail);
            for (var i = 0; i < 3; i++)
            {
                var created = await app.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
                    new() { Name = "Acme " + i, Owner = "acme", Scopes = ["p2p:read"] }, Ct);
                keys.Add(created.Value!.Key);
            }

            var admitted = 0;
            for (var round = 0; round < 3; round++)
            {
                foreach (var key in keys)
                {
                    admitted += await SpendAsync(client, key, 1);
                }
            }

            Assert.Equal(5, admitted);
            var info = await owners.GetAsync("acme", Ct);
            Assert.Equal(5, info.Value!.Usage.QuotaUsed);
            Assert.Equal(3, info.Value.ActiveKeys);
            Assert.Equal(5, info.Value.Limits.Quota!.Limit);
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync(Ct);
            var audit = await db.Set<P2P.ApiKeys.Stores.AdminAuditEntry>().SingleAsync(e => e.Action == "owner.limits_changed", Ct);
            Assert.Equal("root", audit.Actor);
            Assert.Equal("acme", audit.Owner);
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }

        (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            Assert.Equal(0, await SpendAsync(client, keys[0], 2)); // the owner's limits and its count were stored

            var owners = app.Services.GetRequiredService<IApiKeyOwnerLimits>();
            var removed = await owners.UpdateAsync("acme", new ApiKeyOwnerLimitsUpdate { RemoveQuota = true }, P2P.ApiKeys.Stores.AuditActor.Admin("root"), Ct);
            Assert.True(removed.Succeeded, removed.Detail);
            Assert.Null(removed.Value!.Limits.Quota);
            Assert.Equal(2, await SpendAsync(client, keys[1], 2)); // seen at once on this node

            var invalid = await owners.UpdateAsync(
                "acme", new ApiKeyOwnerLimitsUpdate { Quota = new ApiKeyQuota(5, ApiKeyQuotaPeriod.Month), RemoveQuota = true }, P2P.ApiKeys.Stores.AuditActor.Admin("root"), Ct);
            Assert.Equal(ApiKeyError.Invalid, invalid.Error);
            Assert.Equal(ApiKeyError.Invalid, (await owners.GetAsync("", Ct)).Error);
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reset_IsWrittenToo_ARestartDoesNotBringTheOldCountBack()
    {
        string key;
        Guid id;
        var (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            var created = await app.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
                new() { Name = "Metered", Scopes = ["p2p:read"], Quota = new ApiKeyQuota(4, ApiKeyQuotaPeriod.Day) }, Ct);
            (key, id) = (created.Value!.Key, created.Value.Record.Id);
            Assert.Equal(4, await SpendAsync(client, key, 5));
            await app.StopAsync(Ct); // written: 4
        }
        finally
        {
            client.Dispose();
            await app.DisposeAsync();
        }

        (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            Assert.True((await app.Services.GetRequiredService<IApiKeyManager>().ResetLimitsAsync(id, Ct)).Succeeded);
            Assert.Equal(1, await SpendAsync(client, key, 1));
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }

        (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            Assert.Equal(3, await SpendAsync(client, key, 5)); // 1 after the reset, so 3 left
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// A crash, as near as one process gets: the host is disposed without a graceful stop, so only the periodic flush
    /// (every 100 ms here) has written. Counts made since the last flush are lost, nothing before it.
    /// </summary>
    [Fact]
    public async Task NoGracefulStop_LosesAtMostTheCountsSinceTheLastFlush()
    {
        string key;
        var (app, client) = await StartAsync(flushInterval: TimeSpan.FromMilliseconds(100));
        try
        {
            var created = await app.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
                new() { Name = "Metered", Scopes = ["p2p:read"], Quota = new ApiKeyQuota(100, ApiKeyQuotaPeriod.Month) }, Ct);
            key = created.Value!.Key;
            Assert.Equal(5, await SpendAsync(client, key, 5));
            await WaitForStoredCountAsync(app, created.Value.Record.LineageId, 5);
            Assert.Equal(3, await SpendAsync(client, key, 3)); // 8 counted; the last 3 may not be written yet
        }
        finally
        {
            client.Dispose();
            await app.DisposeAsync(); // no StopAsync: no final flush
        }

        (app, client) = await StartAsync(flushInterval: TimeSpan.FromHours(1));
        try
        {
            var admitted = await SpendAsync(client, key, 100);
            var kept = 100 - admitted;
            TestContext.Current.TestOutputHelper?.WriteLine($"counted 8 before the crash, {kept} kept after it");
            Assert.InRange(kept, 5, 8); // what the last flush wrote, at least; never more than was counted
        }
        finally
        {
            client.Dispose();
            await app.StopAsync(Ct);
            await app.DisposeAsync();
        }
    }

    private static async Task WaitForStoredCountAsync(WebApplication app, Guid lineageId, long count)
    {
        var store = app.Services.GetRequiredService<IApiKeyQuotaCountStore>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!(await store.LoadAsync(DateTimeOffset.UtcNow, timeout.Token)).Any(c => c.LineageId == lineageId && c.Count == count))
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}

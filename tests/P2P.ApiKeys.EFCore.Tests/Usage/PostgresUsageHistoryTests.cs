using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.EFCore.Tests.Usage;

/// <summary>
/// The usage history on real PostgreSQL, through real hosts: exact counts by outcome (a revoked key still tried is
/// <c>refused</c>), and three nodes sharing one database whose per-hour sums equal the requests sent after a graceful stop.
/// </summary>
public sealed class PostgresUsageHistoryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<WebApplication> StartNodeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddDbContextFactory<ApiKeysDbContext>(o => o.UseNpgsql(database.ConnectionString));
        builder.Services.AddApiKeyAuth(o => o.CacheTtl = TimeSpan.Zero).AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", () => "ok").RequireApiKeyScope("p2p:read");
        app.MapGet("/write", () => "ok").RequireApiKeyScope("p2p:write");
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task<HttpStatusCode> CallAsync(WebApplication node, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", key);
        using var response = await node.GetTestClient().SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<(string Key, Guid Id)> CreateKeyAsync(WebApplication node, ApiKeyRateLimit? rateLimit = null)
    {
        var created = await node.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
            new ApiKeyCreateRequest { Name = "usage", Owner = "acme", Scopes = ["p2p:read"], RateLimit = rateLimit }, Ct);
        Assert.True(created.Succeeded, created.Detail);
        return (created.Value.Key, created.Value.Record.Id);
    }

    private static ApiKeyUsageQuery Today(ApiKeyUsageGranularity granularity) =>
        new() { From = Start.AddHours(-12), To = Start.AddHours(12), Granularity = granularity };

    [Fact]
    public async Task ExactCountsByOutcome_AndRefusedForARevokedKey()
    {
        await database.ResetAsync();
        await using var node = await StartNodeAsync();
        var (key, id) = await CreateKeyAsync(node, new ApiKeyRateLimit(3, TimeSpan.FromHours(1)));

        for (var i = 0; i < 4; i++)
        {
            await CallAsync(node, "/data", key);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(node, "/write", key));
        Assert.True((await node.Services.GetRequiredService<IApiKeyManager>().RevokeAsync(id, Ct)).Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(node, "/data", key));
        await node.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);

        var usage = node.Services.GetRequiredService<IApiKeyUsage>();
        var hourly = await usage.GetKeyUsageAsync(id, Today(ApiKeyUsageGranularity.Hour), Ct);
        var total = hourly.Value!.Total;
        Assert.Equal((3L, 1L, 0L, 1L, 1L), (total.Allowed, total.RateLimited, total.QuotaExhausted, total.Forbidden, total.Refused));
        Assert.Equal(6, hourly.Value.Buckets.Single(b => b.Start == Start).Total);
        var daily = await usage.GetKeyUsageAsync(id, Today(ApiKeyUsageGranularity.Day), Ct);
        Assert.Equal(6, Assert.Single(daily.Value!.Buckets).Total);
    }

    [Fact]
    public async Task ThreeNodes_GracefulStop_PerHourSumEqualsTheRequestsSent()
    {
        await database.ResetAsync();
        var nodes = new[] { await StartNodeAsync(), await StartNodeAsync(), await StartNodeAsync() };
        var (key, id) = await CreateKeyAsync(nodes[0]);

        await Task.WhenAll(nodes.Select(async (node, n) =>
        {
            for (var i = 0; i < 40 + n; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await CallAsync(node, "/data", key));
            }
        }));

        // One flush each before, so the stop's flushes add to buckets that exist: the upsert's update path, concurrently.
        await Task.WhenAll(nodes.Select(n => n.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct)));
        await Task.WhenAll(nodes.Select(async (node, n) =>
        {
            for (var i = 0; i < 10; i++)
            {
                await CallAsync(node, "/data", key);
            }
        }));
        await Task.WhenAll(nodes.Select(n => n.StopAsync(Ct)));

        var store = nodes[0].Services.GetRequiredService<IApiKeyUsageStore>();
        var hour = Assert.Single(await store.ListAsync(
            new ApiKeyUsageFilter { KeyId = id, Granularity = ApiKeyUsageGranularity.Hour, From = Start.AddDays(-1), To = Start.AddDays(1) }, Ct));
        Assert.Equal(40 + 41 + 42 + 30, hour.Allowed);
        var day = Assert.Single(await store.ListAsync(
            new ApiKeyUsageFilter { KeyId = id, Granularity = ApiKeyUsageGranularity.Day, From = Start.AddDays(-1), To = Start.AddDays(1) }, Ct));
        Assert.Equal(hour.Allowed, day.Allowed);
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.RateLimiting;

/// <summary>
/// Floods of random well-formed keys (valid checksum, unknown lookup id): each would cost a store lookup. The
/// per-client limit bounds the lookups, counted on the store itself.
/// </summary>
public sealed class ClientLookupLimitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Neighbour = IPAddress.Parse("198.51.100.20");

    private static Task<ApiKeyTestHost> StartAsync(int limit = 10, int maxClients = 100_000) =>
        ApiKeyTestHost.StartAsync(configureServices: services => services.Configure<ApiKeyRateLimitOptions>(o =>
        {
            o.ClientLookupLimit = new ApiKeyRateLimit(limit, TimeSpan.FromSeconds(60));
            o.MaxTrackedClients = maxClients;
        }));

    private static async Task<HttpContext> SendAsync(ApiKeyTestHost host, IPAddress client, string key) =>
        await host.SendRawAsync("/read", request =>
        {
            request.HttpContext.Connection.RemoteIpAddress = client;
            request.Headers["X-API-Key"] = key;
        });

    private static string RandomWellFormedKey(ApiKeyTestHost host) => host.Services.GetRequiredService<ApiKeyFormat>().Generate().Key;

    [Fact]
    public async Task Flood_RandomWellFormedKeys_StoreLookupsBoundedByTheLimitPerWindow()
    {
        await using var host = await StartAsync(limit: 10);
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var context = await SendAsync(host, Attacker, RandomWellFormedKey(host));
            statuses.Add(context.Response.StatusCode);
        }

        Assert.Equal(10, host.Store.Lookups);
        Assert.Equal(10, statuses.Count(s => s == StatusCodes.Status401Unauthorized));
        Assert.Equal(190, statuses.Count(s => s == StatusCodes.Status429TooManyRequests));

        // The next window gives the same client the same budget again, and no more.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(host, Attacker, RandomWellFormedKey(host));
        }

        Assert.Equal(20, host.Store.Lookups);
    }

    [Fact]
    public async Task Flood_ParallelRandomKeys_StoreLookupsStillBounded()
    {
        await using var host = await StartAsync(limit: 25);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(() => SendAsync(host, Attacker, RandomWellFormedKey(host)), TestContext.Current.CancellationToken)));

        Assert.Equal(25, host.Store.Lookups);
    }

    [Fact]
    public async Task Flood_FromOneClient_DoesNotBlockAnotherClientOrACachedRealKey()
    {
        await using var host = await StartAsync(limit: 5);
        var (realKey, _) = await host.CreateKeyAsync();
        var warm = await SendAsync(host, Attacker, realKey);
        Assert.Equal(StatusCodes.Status200OK, warm.Response.StatusCode);

        for (var i = 0; i < 100; i++)
        {
            await SendAsync(host, Attacker, RandomWellFormedKey(host));
        }

        var throttled = await SendAsync(host, Attacker, RandomWellFormedKey(host));
        var neighbour = await SendAsync(host, Neighbour, realKey);
        var neighbourUnknown = await SendAsync(host, Neighbour, RandomWellFormedKey(host));
        var attackerCached = await SendAsync(host, Attacker, realKey);

        Assert.Equal(StatusCodes.Status429TooManyRequests, throttled.Response.StatusCode);
        Assert.Equal("60", throttled.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", throttled.Response.ContentType);
        Assert.Equal(StatusCodes.Status200OK, neighbour.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, neighbourUnknown.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, attackerCached.Response.StatusCode); // a cache hit costs no lookup
        Assert.Equal(5 + 1, host.Store.Lookups);
    }

    [Fact]
    public async Task Flood_FromManyAddresses_TrackedClientsStayBounded()
    {
        await using var host = await StartAsync(limit: 2, maxClients: 8);
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(host, IPAddress.Parse($"192.0.2.{i}"), RandomWellFormedKey(host));
            await SendAsync(host, IPAddress.Parse($"192.0.2.{i}"), RandomWellFormedKey(host));
        }

        var limiter = host.Services.GetRequiredService<ClientLookupLimiter>();
        Assert.True(limiter.TrackedClients <= 9, $"{limiter.TrackedClients} clients tracked");
        Assert.Equal((8 * 2) + 2, host.Store.Lookups); // eight addresses alone, then one shared budget

        // Once the window is over, the next sweep drops every address.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        host.Time.Advance(LocalApiKeyLimiter.SweepInterval);
        Assert.Equal(0, limiter.TrackedClients);
    }

    [Fact]
    public async Task NoLimitConfigured_EveryUnknownKeyIsLookedUp()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        for (var i = 0; i < 30; i++)
        {
            await SendAsync(host, Attacker, RandomWellFormedKey(host));
        }

        Assert.Equal(30, host.Store.Lookups);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("192.0.2.1", "::ffff:192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("0.0.0.1", "::1", false)]
    public void ClientKey_GroupsIpv6By64AndMapsIpv4(string left, string right, bool same)
    {
        var a = ClientLookupLimiter.ClientKey(IPAddress.Parse(left));
        var b = ClientLookupLimiter.ClientKey(IPAddress.Parse(right));

        Assert.Equal(same, a == b);
    }
}

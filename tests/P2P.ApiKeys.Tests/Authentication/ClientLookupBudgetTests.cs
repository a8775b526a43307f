using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.Authentication;

/// <summary>
/// Floods of random well-formed keys (valid checksum, unknown lookup id): each would cost a store lookup. The
/// per-client limit bounds the lookups, counted on the store itself.
/// </summary>
public sealed class ClientLookupBudgetTests
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
        Assert.Equal(1 + 5 + 1, host.Store.Lookups); // the real key's lookup was given back: the attacker still had 5
    }

    [Fact]
    public async Task Flood_FromManyAddresses_TrackedClientsStayBoundedAndOverflowGoesToPerPrefixBudgets()
    {
        await using var host = await StartAsync(limit: 2, maxClients: 8);
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(host, IPAddress.Parse($"192.0.2.{i}"), RandomWellFormedKey(host));
            await SendAsync(host, IPAddress.Parse($"192.0.2.{i}"), RandomWellFormedKey(host));
        }

        var budget = host.Services.GetRequiredService<ClientLookupBudget>();
        Assert.Equal(8, budget.TrackedClients);
        Assert.Equal(1, budget.OverflowPartitions); // every overflowing address of 192.0.2.0/24 shares its network's budget
        Assert.Equal((8 * 2) + 2, host.Store.Lookups);

        // Another network beyond the bound still has a budget of its own: one flood cannot spend everyone's. (Buckets are
        // hashed with a per-process seed: take a network that did not land in the flood's bucket this time.)
        var flooded = ClientLookupBudget.OverflowBucketOf(IPAddress.Parse("192.0.2.99"));
        var otherNetwork = Enumerable.Range(0, 10).Select(i => IPAddress.Parse($"198.51.{100 + i}.9")).First(a => ClientLookupBudget.OverflowBucketOf(a) != flooded);
        var other = await SendAsync(host, otherNetwork, RandomWellFormedKey(host));
        Assert.Equal(StatusCodes.Status401Unauthorized, other.Response.StatusCode);
        Assert.Equal((8 * 2) + 3, host.Store.Lookups);

        // Once the window is over, the next sweep drops every partition.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        host.Time.Advance(ClientLookupBudget.SweepInterval);
        Assert.Equal(0, budget.TrackedClients);
        Assert.Equal(0, budget.OverflowPartitions);
    }

    [Fact]
    public async Task ValidKeys_CacheMissesFromOneAddress_NeverChargedToTheBudget()
    {
        // 60 valid keys behind one NAT, each once a second, their cache entries expiring every 5 s: 900 requests.
        await using var host = await StartAsync(limit: 10);
        var keys = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            keys.Add((await host.CreateKeyAsync()).Key);
        }

        var statuses = new List<int>();
        for (var second = 0; second < 15; second++)
        {
            foreach (var key in keys)
            {
                statuses.Add((await SendAsync(host, Attacker, key)).Response.StatusCode);
            }

            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.All(statuses, s => Assert.Equal(StatusCodes.Status200OK, s));
        Assert.Equal(60 * 3, host.Store.Lookups); // a miss every 5 s per key, none refused

        // The budget is still whole: unknown keys from the same address cost exactly it.
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(host, Attacker, RandomWellFormedKey(host));
        }

        Assert.Equal((60 * 3) + 10, host.Store.Lookups);
    }

    [Fact]
    public async Task SpentBudget_RecentlyUsedLookupIdWithWrongSecret_AnswersAsAnUnknownOne()
    {
        await using var host = await StartAsync(limit: 3);
        var (key, _) = await host.CreateKeyAsync();
        Assert.Equal(StatusCodes.Status200OK, (await SendAsync(host, Neighbour, key)).Response.StatusCode); // now cached

        // While budget is left, a wrong secret for a cached id and an unknown id both answer 401 and both cost one.
        var wrongSecret = TestKeys.WithChecksum(key[..^(ApiKeyFormat.ChecksumLength + 1)] + (key[^(ApiKeyFormat.ChecksumLength + 1)] == 'A' ? 'B' : 'A'));
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Attacker, wrongSecret)).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Attacker, RandomWellFormedKey(host))).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Attacker, RandomWellFormedKey(host))).Response.StatusCode);

        // Spent: the recently used id answers exactly as an unknown one does.
        var cached = await SendAsync(host, Attacker, wrongSecret);
        var unknown = await SendAsync(host, Attacker, RandomWellFormedKey(host));
        Assert.Equal(StatusCodes.Status429TooManyRequests, cached.Response.StatusCode);
        Assert.Equal(StatusCodes.Status429TooManyRequests, unknown.Response.StatusCode);
        Assert.Equal(unknown.Response.Headers.RetryAfter.ToString(), cached.Response.Headers.RetryAfter.ToString());

        // The holder of the real key is not refused: a cached valid key is never charged.
        Assert.Equal(StatusCodes.Status200OK, (await SendAsync(host, Attacker, key)).Response.StatusCode);
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
}

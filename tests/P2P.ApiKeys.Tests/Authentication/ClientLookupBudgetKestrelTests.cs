using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Tests.Authentication;

/// <summary>
/// The held-out run of issue 20, on real Kestrel and real sockets: many valid keys behind one address (a NAT, an office,
/// a backend with many tenants) whose cache entries keep expiring. The real clock runs: the cache TTL is short so that
/// nearly every request is a cache miss, and the number of rounds is fixed, so the test is quick and ends by itself.
/// </summary>
public sealed class ClientLookupBudgetKestrelTests
{
    private const int Budget = 10;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ValidKeys_SixtyFromOneAddressWithExpiringCacheEntries_NoneRefusedAndUnknownKeysStillCostOnlyTheBudget()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var store = new CountingApiKeyStore(new InMemoryApiKeyStore());
        builder.Services.AddSingleton<IApiKeyStore>(store);
        builder.Services.AddApiKeyAuth(o => o.CacheTtl = TimeSpan.FromMilliseconds(20)).AddInMemoryStores()
            .ConfigureRateLimits(o => o.ClientLookupLimit = new ApiKeyRateLimit(Budget, TimeSpan.FromSeconds(ApiKeyRateLimit.MaxWindowSeconds)));
        await using var app = builder.Build();
        app.MapGet("/read", () => "ok").RequireApiKeyScope("p2p:read");
        await app.StartAsync(Ct);

        var manager = app.Services.GetRequiredService<IApiKeyManager>();
        var keys = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            keys.Add((await manager.CreateAsync(new ApiKeyCreateRequest { Name = $"Tenant {i}", Owner = $"tenant-{i}", Scopes = ["p2p:read"] }, Ct)).Value!.Key);
        }

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var round = 0; round < 15; round++)
        {
            foreach (var key in keys)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/read");
                request.Headers.Add("X-API-Key", key);
                using var response = await client.SendAsync(request, Ct);
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }

            await Task.Delay(25, Ct); // every key's cache entry has expired: the next round's request of each is a store lookup
        }

        Assert.Equal(new Dictionary<HttpStatusCode, int> { [HttpStatusCode.OK] = 60 * 15 }, statuses);
        Assert.True(store.Lookups >= 60 * 15, $"{store.Lookups} lookups: each round after the first must miss the cache");

        // 200 random unknown keys from the same address cost the budget and no more.
        var before = store.Lookups;
        var window = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / ApiKeyRateLimit.MaxWindowSeconds;
        var format = app.Services.GetRequiredService<ApiKeyFormat>();
        var refused = 0;
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/read");
            request.Headers.Add("X-API-Key", format.Generate().Key);
            using var response = await client.SendAsync(request, Ct);
            refused += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        var windows = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / ApiKeyRateLimit.MaxWindowSeconds) - window + 1; // 2 only across midnight UTC
        Assert.InRange(store.Lookups - before, 1, Budget * windows);
        Assert.Equal(200 - (store.Lookups - before), refused);
    }
}

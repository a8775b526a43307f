using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Testing;
using P2P.Tests.Shared;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Redis.Tests.RateLimiting;

/// <summary>Two hosts (two nodes) on one redis-server: one key's limit holds for both together, with the HTTP shape of one node.</summary>
public sealed class RedisRateLimitHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<WebApplication> StartNodeAsync(string redis, ApiKeyRecord? record)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddApiKeyAuth().AddInMemoryStores().AddRedisRateLimits(redis, o => o.DecisionTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", () => "data").RequireApiKeyScope("p2p:read");
        if (record is not null)
        {
            // The other node's copy of the row: both nodes read one database in a deployment.
            await app.Services.GetRequiredService<IApiKeyStore>().CreateAsync(record, Ct);
        }

        await app.StartAsync(Ct);
        return app;
    }

    [Fact]
    public async Task TwoNodes_OneKey_AdmitTheLimitTogetherThen429WithHeaders()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var a = await StartNodeAsync(server.Configuration, record: null);
        var created = await a.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
            new ApiKeyCreateRequest { Name = "Redis test key", Scopes = ["p2p:read"], RateLimit = new ApiKeyRateLimit(5, TimeSpan.FromDays(1)) }, Ct);
        var key = created.Value!.Key;
        await using var b = await StartNodeAsync(server.Configuration, created.Value.Record.Clone());
        using var clientA = a.GetTestClient();
        using var clientB = b.GetTestClient();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
            request.Headers.Add("X-API-Key", key);
            responses.Add(await (i % 2 == 0 ? clientA : clientB).SendAsync(request, Ct));
        }

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("\"rate\";q=5;w=86400", Assert.Single(refused.Headers.GetValues("RateLimit-Policy")));
        Assert.StartsWith("\"rate\";r=0;t=", Assert.Single(refused.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        Assert.True(long.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 86400);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>One API node: a real host (TestServer) with API-key authentication on EF Core stores.</summary>
internal static class ApiKeyNode
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<WebApplication> StartAsync(Action<DbContextOptionsBuilder> database, Action<ApiKeyOptions> configure, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddDbContextFactory<ApiKeysDbContext>(database);
        builder.Services.AddApiKeyAuth(configure).AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        var app = builder.Build();
        await EnsureCreatedAsync(app.Services);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", () => "ok").RequireApiKeyScope("p2p:read");
        await app.StartAsync(Ct);
        return app;
    }

    public static async Task EnsureCreatedAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync(Ct);
        await db.Database.EnsureCreatedAsync(Ct);
    }

    /// <summary>Mints a key with scope <c>p2p:read</c> through the node's <see cref="IApiKeyManager"/>, as any host does.</summary>
    public static async Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync(WebApplication node)
    {
        var created = await node.Services.GetRequiredService<IApiKeyManager>().CreateAsync(new() { Name = "node test key", Scopes = ["p2p:read"] }, Ct);
        Assert.True(created.Succeeded);
        return (created.Value.Key, created.Value.Record);
    }

    public static async Task<HttpResponseMessage> CallAsync(WebApplication node, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
        request.Headers.Add("X-API-Key", key);
        return await node.GetTestClient().SendAsync(request, Ct);
    }

    public static async Task<HttpStatusCode> StatusAsync(WebApplication node, string key)
    {
        using var response = await CallAsync(node, key);
        return response.StatusCode;
    }
}

using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Tests.Authentication;

public sealed class ApiKeyPoliciesTests
{
    [Fact]
    public void Scope_Name_HasPrefixAndScope()
    {
        Assert.Equal("ApiKeyScope:p2p:read", ApiKeyPolicies.Scope("p2p:read"));
        Assert.Throws<ArgumentException>(() => ApiKeyPolicies.Scope(" "));
        Assert.Throws<ArgumentException>(() => ApiKeyPolicies.Scope("a b"));
    }

    [Fact]
    public void ScopePolicy_NamesApiKeySchemeOnly()
    {
        var policy = ApiKeyPolicies.ScopePolicy("p2p:read");

        Assert.Equal([ApiKeyDefaults.AuthenticationScheme], policy.AuthenticationSchemes);
    }

    [Fact]
    public void AllowsCachingPolicies_ScopePolicyProvider_IsTrue()
    {
        // Otherwise the authorization middleware rebuilds every endpoint's policy on every request.
        var services = new ServiceCollection();
        services.AddApiKeyAuth().AddInMemoryStores();
        using var provider = services.BuildServiceProvider();

        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        Assert.True(policies.AllowsCachingPolicies);
    }

    [Fact]
    public async Task GetPolicyAsync_AddAuthorizationCalledFirst_StillBuildsScopePolicies()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthorization();
        builder.Services.AddApiKeyAuth().AddInMemoryStores();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/read", () => "ok").RequireAuthorization(ApiKeyPolicies.Scope("p2p:read"));
        await app.StartAsync(TestContext.Current.CancellationToken);

        var provider = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        Assert.NotNull(await provider.GetPolicyAsync(ApiKeyPolicies.Scope("p2p:read")));
        Assert.Null(await provider.GetPolicyAsync("unrelated"));

        var created = await app.Services.GetRequiredService<IApiKeyManager>().CreateAsync(
            new ApiKeyCreateRequest { Name = "k", Scopes = ["p2p:read"] }, TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/read");
        request.Headers.Add("X-API-Key", created.Value!.Key);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
    }
}

using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Tests.Authentication;

/// <summary><c>AddAuthentication().AddApiKey(name, …)</c> like <c>AddJwtBearer</c>, and the <c>OnMessageReceived</c> event.</summary>
public sealed class ApiKeySchemeBuilderTests
{
    private const string PartnerScheme = "PartnerKey";

    [Fact]
    public async Task AddApiKey_SecondSchemeWithItsOwnHeader_EachEndpointReadsItsSchemesHeader()
    {
        await using var host = await ApiKeyTestHost.StartAsync(
            configureServices: services => services.AddAuthentication().AddApiKey(PartnerScheme, o => o.HeaderName = "X-Partner-Key"),
            mapEndpoints: app => app.MapGet("/partner", () => "partner")
                .RequireAuthorization(new AuthorizationPolicyBuilder(PartnerScheme).RequireClaim(ApiKeyClaimTypes.Scope, "p2p:read").Build()));
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/partner", key, headerName: "X-Partner-Key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/partner", key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/read", key, headerName: "X-Partner-Key")).StatusCode);
        var schemes = await host.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Contains(schemes, s => s.Name == ApiKeyDefaults.AuthenticationScheme);
        Assert.Contains(schemes, s => s.Name == PartnerScheme);
    }

    [Fact]
    public async Task AddApiKey_InvalidSecondSchemeOptions_FailsAtStartUp()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ApiKeyTestHost.StartAsync(
            configureServices: services => services.AddAuthentication().AddApiKey(PartnerScheme, o => o.HeaderName = "bad header")));

        Assert.Contains("HeaderName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddApiKeyAuth_CalledTwiceAndAddApiKeyForTheDefaultScheme_OneSchemeWithEveryConfiguration()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: services =>
        {
            services.AddApiKeyAuth(configureScheme: o => o.HeaderName = "X-Key");
            services.AddAuthentication().AddApiKey(o => o.AllowAuthorizationHeader = false);
        });
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key, headerName: "X-Key")).StatusCode);
        await ProblemAssert.IsUnauthorizedAsync(await host.GetWithAuthorizationAsync("/read", ApiKeyDefaults.AuthorizationScheme, key));
    }

    [Fact]
    public async Task OnMessageReceived_KeyFromACookie_IsVerifiedLikeAHeader()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnMessageReceived = context =>
        {
            context.Key = context.Request.Cookies["api_key"];
            return Task.CompletedTask;
        });
        var (key, _) = await host.CreateKeyAsync();

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/read");
        withCookie.Headers.Add("Cookie", $"api_key={key}");
        using var wrongCookie = new HttpRequestMessage(HttpMethod.Get, "/read");
        wrongCookie.Headers.Add("Cookie", $"api_key={TestKeys.WithBadChecksum(key)}");

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(withCookie, TestContext.Current.CancellationToken)).StatusCode);
        await ProblemAssert.IsUnauthorizedAsync(await host.Client.SendAsync(wrongCookie, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode); // no cookie: the header is read as usual
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnMessageReceived_SetsAFailure_RequestRefusedWithoutReadingTheHeader()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnMessageReceived = context =>
        {
            context.Fail("Keys are not accepted here.");
            return Task.CompletedTask;
        });
        var (key, _) = await host.CreateKeyAsync();
        var lookupsBefore = host.Store.Lookups;

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
        Assert.Equal(lookupsBefore, host.Store.Lookups);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>docs/security.md rule 16: admin routes want an admin token, data routes an API key; neither stands in for the other.</summary>
public sealed class AdminAuthorizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string SomeId = "0195a3c6-0000-7000-8000-000000000001";

    public static TheoryData<string, string> ProtectedRoutes() => new()
    {
        { "POST", "/admin/users/" },
        { "GET", "/admin/users/" },
        { "DELETE", $"/admin/users/{SomeId}" },
        { "POST", "/admin/users/me/password" },
        { "POST", "/admin/keys/" },
        { "GET", "/admin/keys/" },
        { "GET", $"/admin/keys/{SomeId}" },
        { "PATCH", $"/admin/keys/{SomeId}" },
        { "DELETE", $"/admin/keys/{SomeId}" },
        { "POST", $"/admin/keys/{SomeId}/rotate" },
        { "GET", "/admin/audit" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task AdminRoute_NoToken_Returns401Problem(string method, string path)
    {
        await using var host = await StartWithDataRouteAsync();
        await host.BootstrapAsync(); // after the bootstrap, POST /admin/users/ is protected too
        var keysBefore = await host.Keys.CountAsync(Ct);

        using var response = await host.SendAsync(new HttpMethod(method), path, token: null, AdminTestHost.Json("""{"name":"k"}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(keysBefore, await host.Keys.CountAsync(Ct));
        Assert.Equal(1, await host.Users.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task AdminRoute_ValidApiKeyInsteadOfToken_Returns403Problem(string method, string path)
    {
        await using var host = await StartWithDataRouteAsync();
        var token = await host.BootstrapAsync();
        var key = (await host.CreateKeyAsync(token)).GetProperty("key").GetString()!;

        using var viaHeader = new HttpRequestMessage(new HttpMethod(method), path) { Content = AdminTestHost.Json("""{"name":"k"}""") };
        viaHeader.Headers.Add(ApiKeyDefaults.HeaderName, key);
        using var viaAuthorization = new HttpRequestMessage(new HttpMethod(method), path) { Content = AdminTestHost.Json("""{"name":"k"}""") };
        viaAuthorization.Headers.Authorization = new AuthenticationHeaderValue(ApiKeyDefaults.AuthorizationScheme, key);
        using var asBearer = new HttpRequestMessage(new HttpMethod(method), path) { Content = AdminTestHost.Json("""{"name":"k"}""") };
        asBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var headerResponse = await host.Client.SendAsync(viaHeader, Ct);
        using var authorizationResponse = await host.Client.SendAsync(viaAuthorization, Ct);
        using var bearerResponse = await host.Client.SendAsync(asBearer, Ct);

        await ProblemAssert.IsProblemAsync(headerResponse, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(authorizationResponse, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(bearerResponse, HttpStatusCode.Unauthorized);
        Assert.Equal(1, await host.Keys.CountAsync(Ct));
        Assert.Equal(1, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task SeedWorkflow_AdminCreatesKeyClientUsesItRevokeLocksItOut()
    {
        await using var host = await StartWithDataRouteAsync();

        // Step 2-4 of the seed: bootstrap, log in, mint a key with a name only.
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name": "Streamlit App Key"}""");
        var key = created.GetProperty("key").GetString()!;

        // Step 6: the dashboard calls the data API with the key.
        using (var ok = await GetDataAsync(host, key))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("p2p data", await ok.Content.ReadAsStringAsync(Ct));
        }

        using var revoke = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{created.GetProperty("id").GetString()}", token);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var afterRevoke = await GetDataAsync(host, key);
        await ProblemAssert.IsProblemAsync(afterRevoke, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RotateKey_ZeroGrace_OldKeyRefusedOnNextRequestNewKeyAccepted()
    {
        await using var host = await StartWithDataRouteAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var oldKey = created.GetProperty("key").GetString()!;
        (await GetDataAsync(host, oldKey)).Dispose(); // now cached

        using var rotate = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{created.GetProperty("id").GetString()}/rotate", token);
        var newKey = (await rotate.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("key").GetString()!;

        using var oldResponse = await GetDataAsync(host, oldKey);
        using var newResponse = await GetDataAsync(host, newKey);
        await ProblemAssert.IsProblemAsync(oldResponse, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, newResponse.StatusCode);
    }

    [Fact]
    public async Task AdminToken_OnDataRoute_IsNeverAcceptedAsApiKey()
    {
        await using var host = await StartWithDataRouteAsync();
        var token = await host.BootstrapAsync();

        using var asApiKey = await GetDataAsync(host, token);
        using var asBearer = await host.SendAsync(HttpMethod.Get, "/api/p2p/summary", token);

        await ProblemAssert.IsProblemAsync(asApiKey, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(asBearer, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DataRoute_KeyWithoutScope_Returns403()
    {
        await using var host = await StartWithDataRouteAsync();
        var token = await host.BootstrapAsync();
        var key = (await host.CreateKeyAsync(token, """{"name":"no scopes","scopes":[]}""")).GetProperty("key").GetString()!;

        using var response = await GetDataAsync(host, key);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private static Task<AdminTestHost> StartWithDataRouteAsync() => AdminTestHost.StartAsync(map: app =>
    {
        app.MapAdminEndpoints();
        app.MapGet("/api/p2p/summary", () => "p2p data").RequireApiKeyScope("p2p:read");
    });

    private static Task<HttpResponseMessage> GetDataAsync(AdminTestHost host, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add(ApiKeyDefaults.HeaderName, key);
        return host.Client.SendAsync(request, Ct);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.OpenApi;

namespace P2P.AdminApi.Tests.OpenApi;

/// <summary>
/// The security requirement of each operation follows its authorization metadata, whatever the path. Uses
/// stand-in schemes named like the real ones ("ApiKey", "AdminBearer") until those parts are merged.
/// </summary>
public sealed class AuthorizationOperationTransformerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> GetDocumentAsync(bool defaultSchemeIsAdmin = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var authentication = defaultSchemeIsAdmin
            ? builder.Services.AddAuthentication("AdminBearer")
            : builder.Services.AddAuthentication();
        authentication
            .AddScheme<AuthenticationSchemeOptions, StandInHandler>("ApiKey", null)
            .AddScheme<AuthenticationSchemeOptions, StandInHandler>("AdminBearer", null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("p2p:read", p => p.AddAuthenticationSchemes("ApiKey").RequireAuthenticatedUser());
        builder.Services.AddOpenApi(o => o.AddApiKeyTransformers());

        await using var app = builder.Build();
        app.MapOpenApi();
        app.MapGet("/anywhere/admin-attribute", () => "x").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "AdminBearer" });
        app.MapGet("/anywhere/named-policy", () => "x").RequireAuthorization("p2p:read");
        app.MapGet("/anywhere/policy-object", () => "x")
            .RequireAuthorization(new AuthorizationPolicyBuilder("ApiKey").RequireAuthenticatedUser().Build());
        app.MapGet("/anywhere/default-policy", () => "x").RequireAuthorization();
        app.MapGet("/anywhere/anonymous", () => "x");
        app.MapGet("/anywhere/allow-anonymous", () => "x").AllowAnonymous();
        app.MapGet("/anywhere/optional-admin", () => "x")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "AdminBearer" })
            .AllowAnonymous();
        app.MapGet("/anywhere/anonymous-default-policy", () => "x").RequireAuthorization().AllowAnonymous();
        await app.StartAsync(Ct);

        using var client = app.GetTestClient();
        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        await app.StopAsync(Ct);
        return JsonNode.Parse(json)!;
    }

    /// <summary>Scheme names per requirement; an empty requirement (credentials optional) shows as "{}".</summary>
    private static string[] Requirements(JsonNode document, string path) =>
        document["paths"]![path]!["get"]!["security"]?.AsArray()
            .SelectMany(r => r!.AsObject().Count == 0 ? ["{}"] : r.AsObject().Select(p => p.Key))
            .ToArray() ?? [];

    [Fact]
    public async Task TransformAsync_AdminSchemeAttribute_RequiresBearer()
    {
        var document = await GetDocumentAsync();

        Assert.Equal(["Bearer"], Requirements(document, "/anywhere/admin-attribute"));
    }

    [Fact]
    public async Task TransformAsync_NamedPolicyOrPolicyObjectWithApiKeyScheme_RequiresApiKey()
    {
        var document = await GetDocumentAsync();

        Assert.Equal(["ApiKey"], Requirements(document, "/anywhere/named-policy"));
        Assert.Equal(["ApiKey"], Requirements(document, "/anywhere/policy-object"));
    }

    [Fact]
    public async Task TransformAsync_AnonymousOrAllowAnonymous_RequiresNothing()
    {
        var document = await GetDocumentAsync(defaultSchemeIsAdmin: true);

        Assert.Empty(Requirements(document, "/anywhere/anonymous"));
        Assert.Empty(Requirements(document, "/anywhere/allow-anonymous"));
        Assert.Empty(Requirements(document, "/anywhere/anonymous-default-policy"));
    }

    [Fact]
    public async Task TransformAsync_AllowAnonymousWithAdminScheme_MakesBearerOptional()
    {
        var document = await GetDocumentAsync();

        Assert.Equal(["{}", "Bearer"], Requirements(document, "/anywhere/optional-admin"));
    }

    [Fact]
    public async Task TransformAsync_DefaultPolicyWithoutSchemes_UsesDefaultScheme()
    {
        Assert.Equal(["Bearer"], Requirements(await GetDocumentAsync(defaultSchemeIsAdmin: true), "/anywhere/default-policy"));
        Assert.Empty(Requirements(await GetDocumentAsync(defaultSchemeIsAdmin: false), "/anywhere/default-policy"));
    }

    [Fact]
    public async Task TransformAsync_Requirement_ReferencesDeclaredScheme()
    {
        var document = await GetDocumentAsync();

        var declared = document["components"]!["securitySchemes"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var path in document["paths"]!.AsObject())
        {
            Assert.All(Requirements(document, path.Key).Where(r => r != "{}"), r => Assert.Contains(r, declared));
        }
    }

    private sealed class StandInHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}

using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Authentication;

/// <summary>The API-key scheme next to an admin JWT scheme and a default cookie scheme, as the samples use it.</summary>
public sealed class ApiKeySchemeCoexistenceTests
{
    private const string AdminScheme = "AdminBearer";
    private static readonly SymmetricSecurityKey SigningKey = new(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 });

    [Fact]
    public async Task ApiKey_OnAdminEndpoint_Returns401()
    {
        await using var host = await StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/admin-only", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetWithAuthorizationAsync("/admin-only", "Bearer", key)).StatusCode);
    }

    [Fact]
    public async Task AdminToken_OnApiKeyEndpoint_Returns401()
    {
        await using var host = await StartAsync();
        var token = CreateAdminToken();
        Assert.Equal(HttpStatusCode.OK, (await host.GetWithAuthorizationAsync("/admin-only", "Bearer", token)).StatusCode);

        await ProblemAssert.IsUnauthorizedAsync(await host.GetWithAuthorizationAsync("/read", "Bearer", token));
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", token));
    }

    [Fact]
    public async Task ApiKey_WithDefaultCookieScheme_StillAnswersProblemNotRedirect()
    {
        await using var host = await StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read"));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/anonymous")).StatusCode);
    }

    private static Task<ApiKeyTestHost> StartAsync() => ApiKeyTestHost.StartAsync(
        configureServices: services =>
        {
            services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie()
                .AddJwtBearer(AdminScheme, o =>
                {
                    o.MapInboundClaims = false;
                    o.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = "test",
                        ValidAudience = "admin",
                        IssuerSigningKey = SigningKey,
                        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    };
                });
        },
        mapEndpoints: app => app.MapGet("/admin-only", () => "admin")
            .RequireAuthorization(new AuthorizationPolicyBuilder(AdminScheme).RequireAuthenticatedUser().Build()));

    private static string CreateAdminToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "test",
        Audience = "admin",
        Subject = new ClaimsIdentity([new Claim("sub", "admin")]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
    });
}

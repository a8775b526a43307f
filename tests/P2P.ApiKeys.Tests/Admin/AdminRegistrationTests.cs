using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Tests.Admin;

public sealed class AdminRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("too-short-31-bytes-of-raw-text!")]
    [InlineData("c2hvcnQ=")]
    public async Task Start_ProductionWithMissingOrShortSigningKey_FailsNamingTheSetting(string? signingKey)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AdminTestHost.StartAsync(admin: o => o.Token.SigningKey = signingKey, environment: "Production"));

        Assert.Contains("AdminOptions.Token.SigningKey", exception.Message, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(signingKey))
        {
            Assert.DoesNotContain(signingKey, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_DevelopmentWithoutSigningKey_GeneratesEphemeralKeyAndWarns()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Token.SigningKey = null, environment: "Development");

        var token = await host.BootstrapAsync();

        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "EphemeralSigningKey" && r.Level == LogLevel.Warning);
        using var response = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_RawTextSigningKeyOf32Bytes_IsAccepted()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Token.SigningKey = "a raw text key of at least 32 bytes!", environment: "Production");

        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, Action<AdminOptions>> InvalidOptions() => new()
    {
        { "AdminOptions.Token.ClockSkew", o => o.Token.ClockSkew = TimeSpan.FromMinutes(5) },
        { "AdminOptions.Password.HashIterations", o => o.Password.HashIterations = 100_000 },
        { "AdminOptions.Password.MinLength", o => o.Password.MinLength = 6 },
        { "AdminOptions.Token.Lifetime", o => o.Token.Lifetime = TimeSpan.FromDays(7) },
        { "AdminOptions.Lockout.Threshold", o => o.Lockout.Threshold = 0 },
        { "AdminOptions.Token.Issuer", o => o.Token.Issuer = " " },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task Start_InvalidOption_FailsNamingTheSetting(string setting, Action<AdminOptions> configure)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => AdminTestHost.StartAsync(admin: configure));

        Assert.Contains(setting, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAdminEndpoints_WithoutRegistration_ThrowsSayingWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddApiKeyAuth().AddInMemoryStores();
        await using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapAdminEndpoints());

        Assert.Contains("AddAdminEndpoints", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAdminEndpoints_WithoutStores_ThrowsSayingWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddApiKeyAuth().AddAdminEndpoints(o => o.Token.SigningKey = AdminTestHost.SigningKey);
        await using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapAdminEndpoints());

        Assert.Contains("AddInMemoryStores()", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAdminEndpoints_CalledTwice_StartsAndAppliesBothConfigurations()
    {
        await using var host = await AdminTestHost.StartAsync(services: s =>
            new ApiKeyAuthBuilderAccessor(s).AddAdminEndpoints(o => o.Token.Lifetime = TimeSpan.FromMinutes(5)));

        Assert.Equal(TimeSpan.FromMinutes(5), host.App.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Token.Lifetime);
        Assert.False(string.IsNullOrEmpty(await host.BootstrapAsync()));
    }

    [Fact]
    public async Task MapAdminEndpoints_SelectedGroupsAndPrefix_MapsOnlyThose()
    {
        await using var host = await AdminTestHost.StartAsync(map: app =>
            app.MapAdminEndpoints("/ops", AdminEndpointGroups.Keys | AdminEndpointGroups.Token));

        using var users = await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword);
        using var keys = await host.SendAsync(HttpMethod.Get, "/ops/keys/", token: null);
        using var audit = await host.SendAsync(HttpMethod.Get, "/ops/audit", token: null);
        using var token = await host.Client.PostAsync("/ops/token", AdminTestHost.Form(("username", "x"), ("password", "y")), Ct);

        Assert.Equal(HttpStatusCode.NotFound, users.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, audit.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keys.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
    }

    [Fact]
    public async Task MapAdminEndpoints_EveryEndpoint_CarriesOpenApiAndAuthorizationMetadata()
    {
        await using var host = await AdminTestHost.StartAsync();
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/admin", StringComparison.Ordinal)).ToList();

        Assert.Equal(17, endpoints.Count); // PATCH /keys/{id}, POST /keys/{id}/limits/reset, the usage routes /keys/{id}/usage and /usage/, GET and PATCH /owners/{owner} included
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.DisplayName;
            var tags = endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags ?? [];
            Assert.Contains(tags, t => t is AdminDefaults.UserManagementTag or AdminDefaults.KeyManagementTag or AdminDefaults.AuditTag);
            Assert.False(string.IsNullOrEmpty(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary), name);
            Assert.False(string.IsNullOrEmpty(endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description), name);
            Assert.Contains(endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>(), p => p.StatusCode == 401);

            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var isToken = endpoint.RoutePattern.RawText!.EndsWith("/token", StringComparison.Ordinal);
            var isBootstrap = endpoint.RoutePattern.RawText == "/admin/users/" && endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Contains("POST");
            Assert.Equal(isToken, anonymous);
            if (!anonymous)
            {
                // The bootstrap route has its own policy (admin, or anyone while no admin exists) on the same schemes, so
                // OpenAPI shows the credentials there too; changing one's password takes an admin token only; every other
                // route requires one admin permission (an admin token, or an API key that carries it).
                var isPassword = endpoint.RoutePattern.RawText!.EndsWith("/me/password", StringComparison.Ordinal);
                Assert.Contains(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), a =>
                    isBootstrap ? a.Policy == AdminOrFirstAdminRequirement.PolicyName
                    : isPassword ? a.Policy == AdminDefaults.AuthorizationPolicy
                    : a.Policy is { } p && p.StartsWith(AdminDefaults.PermissionPolicyPrefix, StringComparison.Ordinal));
            }

            // Every POST and PATCH takes a body, except the reset of a key's used limits: an action on the key, like DELETE.
            var takesNoBody = endpoint.RoutePattern.RawText!.EndsWith("/limits/reset", StringComparison.Ordinal);
            if (!takesNoBody && endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Any(m => m is "POST" or "PATCH"))
            {
                var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
                Assert.NotNull(accepts?.RequestType);
                Assert.Contains(accepts!.ContentTypes, c => c is "application/json" or "application/x-www-form-urlencoded");
            }
        }
    }

    /// <summary>Gets at the builder a second time, as a host that calls <c>AddAdminEndpoints</c> twice would.</summary>
    private sealed class ApiKeyAuthBuilderAccessor(IServiceCollection services)
    {
        public ApiKeyAuthBuilder AddAdminEndpoints(Action<AdminOptions> configure) => services.AddApiKeyAuth().AddAdminEndpoints(configure);
    }
}

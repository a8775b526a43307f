using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Scaling;

/// <summary>
/// One authentication setup in its own container (its own singletons: cache, tracker, meter), driven the way
/// Kestrel and the authorization middleware drive it: per request a DI scope and a <see cref="DefaultHttpContext"/>,
/// <see cref="IAuthenticationService.AuthenticateAsync"/> for the policy's scheme, then the policy's
/// requirements through <see cref="IAuthorizationService"/> (authenticated user + one claim for all three).
/// </summary>
internal sealed class Contender : IAsyncDisposable
{
    public const string Ours = "ours";
    public const string Floor = "floor";
    public const string Jwt = "jwtbearer";

    private readonly ServiceProvider _provider;
    private readonly string _scheme;
    private readonly string _headerName;
    private readonly string _headerValue;
    private readonly AuthorizationPolicy _policy;
    private readonly IHostedService[] _hosted;

    private Contender(string name, ServiceProvider provider, string scheme, string headerName, string headerValue, AuthorizationPolicy policy)
    {
        Name = name;
        _provider = provider;
        _scheme = scheme;
        _headerName = headerName;
        _headerValue = headerValue;
        _policy = policy;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    public string Name { get; }

    /// <summary>Our handler with the library defaults (cache, last-used tracking and its flush service, metrics).</summary>
    public static async Task<Contender> CreateOursAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(); // no providers: logging off, as in the load host
        services.AddApiKeyAuth().AddInMemoryStores();
        var provider = services.BuildServiceProvider();
        var created = await BenchmarkKeys.CreateAsync(provider.GetRequiredService<IApiKeyManager>(), "Scaling key", "scaling").ConfigureAwait(false);
        return await StartAsync(new Contender(Ours, provider, ApiKeyDefaults.AuthenticationScheme, "X-API-Key", created.Key, ApiKeyPolicies.ScopePolicy("p2p:read"))).ConfigureAwait(false);
    }

    /// <summary>The hand-rolled floor: SHA-256 + dictionary + fixed-time compare, the same claims.</summary>
    public static async Task<Contender> CreateFloorAsync()
    {
        // A key of our format, so that both handlers hash input of the same length.
        // Minted by the public manager of a throwaway container: the floor's table holds it on its own.
        var mintServices = new ServiceCollection();
        mintServices.AddLogging();
        mintServices.AddApiKeyAuth().AddInMemoryStores();
        CreatedApiKey generated;
        await using (var mintProvider = mintServices.BuildServiceProvider())
        {
            generated = await BenchmarkKeys.CreateAsync(mintProvider.GetRequiredService<IApiKeyManager>(), "Scaling key", "scaling").ConfigureAwait(false);
        }

        var key = generated.Key;
        var id = Guid.NewGuid().ToString("D");
        Claim[] claims =
        [
            new(ApiKeyClaimTypes.KeyId, id, ClaimValueTypes.String, FloorApiKeyHandler.SchemeName),
            new(ApiKeyClaimTypes.LookupId, generated.Record.LookupId, ClaimValueTypes.String, FloorApiKeyHandler.SchemeName),
            new(ApiKeyClaimTypes.Name, "Scaling key", ClaimValueTypes.String, FloorApiKeyHandler.SchemeName),
            new(ClaimTypes.NameIdentifier, id, ClaimValueTypes.String, FloorApiKeyHandler.SchemeName),
            new(ApiKeyClaimTypes.Owner, "scaling", ClaimValueTypes.String, FloorApiKeyHandler.SchemeName),
            new(ApiKeyClaimTypes.Scope, "p2p:read", ClaimValueTypes.String, FloorApiKeyHandler.SchemeName),
        ];
        var table = new FloorKeyTable();
        table.Add(key, claims);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(table);
        services.AddAuthorization();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, FloorApiKeyHandler>(FloorApiKeyHandler.SchemeName, null);
        var policy = new AuthorizationPolicyBuilder(FloorApiKeyHandler.SchemeName).RequireAuthenticatedUser().RequireClaim(ApiKeyClaimTypes.Scope, "p2p:read").Build();
        return await StartAsync(new Contender(Floor, services.BuildServiceProvider(), FloorApiKeyHandler.SchemeName, FloorApiKeyHandler.HeaderName, key, policy)).ConfigureAwait(false);
    }

    /// <summary>JwtBearer with an HS256 token validated like an admin token (pinned algorithm, issuer, audience, lifetime).</summary>
    public static async Task<Contender> CreateJwtAsync(TimeSpan lifetime)
    {
        const string scheme = "AdminBearer";
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization();
        services.AddAuthentication().AddJwtBearer(scheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = BenchmarkAdminToken.Validation();
        });
        var policy = new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().RequireClaim("role", "admin").Build();
        var token = BenchmarkAdminToken.Issue(lifetime);
        return await StartAsync(new Contender(Jwt, services.BuildServiceProvider(), scheme, "Authorization", "Bearer " + token, policy)).ConfigureAwait(false);
    }

    private static async Task<Contender> StartAsync(Contender contender)
    {
        foreach (var hosted in contender._hosted)
        {
            await hosted.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (!await contender.AuthenticateOnceAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Set-up failed: {contender.Name} refused its valid credential.");
        }

        return contender;
    }

    /// <summary>One request: true when it was authenticated and authorized.</summary>
    public async ValueTask<bool> AuthenticateOnceAsync(bool authorize = true)
    {
        var scope = _provider.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Headers[_headerName] = _headerValue;
            var result = await scope.ServiceProvider.GetRequiredService<IAuthenticationService>().AuthenticateAsync(context, _scheme).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return false;
            }

            if (!authorize)
            {
                return true;
            }

            context.User = result.Principal;
            var authorized = await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, context, _policy).ConfigureAwait(false);
            return authorized.Succeeded;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}

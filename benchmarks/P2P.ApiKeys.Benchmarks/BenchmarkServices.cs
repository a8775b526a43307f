using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// The services a real host registers (AddApiKeyAuth + AddInMemoryStores, plus an admin-style JwtBearer
/// scheme), without Kestrel, so that benchmarks call the real handler, cache and store.
/// </summary>
internal sealed class BenchmarkServices : IDisposable
{
    public const string JwtScheme = "AdminBearer";

    private BenchmarkServices(ServiceProvider provider) => Provider = provider;

    public ServiceProvider Provider { get; }

    public ApiKeyFormat Format => Provider.GetRequiredService<ApiKeyFormat>();

    public ApiKeySecretHasher Hasher => Provider.GetRequiredService<ApiKeySecretHasher>();

    /// <param name="configure">Options for AddApiKeyAuth.</param>
    /// <param name="addStores">Registers the stores; the in-memory ones when null.</param>
    public static BenchmarkServices Create(Action<ApiKeyOptions>? configure = null, Action<IServiceCollection, ApiKeyAuthBuilder>? addStores = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(); // no providers: logging off, as in the load host
        var builder = services.AddApiKeyAuth(configure);
        if (addStores is null)
        {
            builder.AddInMemoryStores();
        }
        else
        {
            addStores(services, builder);
        }

        services.AddAuthentication().AddJwtBearer(JwtScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = AdminTokenValidation();
        });
        return new BenchmarkServices(services.BuildServiceProvider());
    }

    /// <summary>Validation like an admin token: pinned algorithm, issuer, audience and lifetime.</summary>
    public static TokenValidationParameters AdminTokenValidation() => BenchmarkAdminToken.Validation();

    public static SecurityTokenDescriptor AdminTokenDescriptor() => BenchmarkAdminToken.Descriptor(TimeSpan.FromMinutes(30));

    public static string IssueAdminToken() => BenchmarkAdminToken.Issue(TimeSpan.FromMinutes(30));

    /// <summary>Creates a key through <see cref="IApiKeyManager"/>, as any host does.</summary>
    public async Task<string> CreateKeyAsync(string name = "Bench key") =>
        (await BenchmarkKeys.CreateAsync(Provider.GetRequiredService<IApiKeyManager>(), name, "bench").ConfigureAwait(false)).Key;

    /// <summary>
    /// One request's worth of authentication: a request scope and an HttpContext, as Kestrel gives the
    /// pipeline, then the scheme's handler through IAuthenticationService.
    /// </summary>
    public async Task<bool> AuthenticateAsync(string scheme, string headerName, string? headerValue)
    {
        var scope = Provider.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            if (headerValue is not null)
            {
                context.Request.Headers[headerName] = headerValue;
            }

            // From the request scope, as HttpContext.AuthenticateAsync does: the handler provider is scoped and
            // keeps one handler per scheme, so a root-level one would hand back the first request's result.
            var authentication = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
            var result = await authentication.AuthenticateAsync(context, scheme).ConfigureAwait(false);
            return result.Succeeded;
        }
    }

    public void Dispose() => Provider.Dispose();
}

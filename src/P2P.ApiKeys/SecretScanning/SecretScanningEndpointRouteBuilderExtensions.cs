using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.SecretScanning;
using P2P.ApiKeys.Stores;

namespace Microsoft.AspNetCore.Routing;

/// <summary>Maps the endpoints that secret scanners report leaked keys to.</summary>
public static class SecretScanningEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps, under <paramref name="prefix"/>, the endpoints of each configured scanner: <c>POST /github</c> (GitHub's
    /// secret-scanning partner format, when a GitHub key source is set) and <c>GET /gitlab/v1/revocable_token_types</c>
    /// with <c>POST /gitlab/v1/revoke_tokens</c> (GitLab's Token Revocation API, when its shared secret is set). They
    /// authenticate the scanner themselves (signature or shared secret), so they allow anonymous requests and are left
    /// out of the OpenAPI description. Requires <c>AddApiKeyAuth(...).AddSecretScanning(...)</c> and a store registration.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="prefix">The route prefix of every secret-scanning endpoint.</param>
    /// <returns>A builder for conventions that apply to every secret-scanning endpoint.</returns>
    /// <exception cref="InvalidOperationException">The services were not registered, or no scanner is configured.</exception>
    public static IEndpointConventionBuilder MapSecretScanningEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/secret-scanning")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var services = endpoints.ServiceProvider;
        if (services.GetService<SecretScanningEndpoints>() is null)
        {
            throw new InvalidOperationException(
                "MapSecretScanningEndpoints needs its services: call builder.Services.AddApiKeyAuth(...).AddSecretScanning(...) before building the application.");
        }

        var isService = services.GetRequiredService<IServiceProviderIsService>();
        if (!isService.IsService(typeof(IApiKeyStore)) || !isService.IsService(typeof(IAdminAuditStore)))
        {
            throw new InvalidOperationException(
                "MapSecretScanningEndpoints needs stores for keys and the audit trail: call AddInMemoryStores() or " +
                "AddEntityFrameworkCoreStores<TContext>() on the builder returned by AddApiKeyAuth(...).");
        }

        var options = services.GetRequiredService<IOptions<SecretScanningOptions>>().Value;
        var gitHub = options.GitHub.PublicKeysFile is { Length: > 0 } || options.GitHub.PublicKeysUrl is not null;
        var gitLab = options.GitLab.SharedSecret is { Length: > 0 };
        if (!gitHub && !gitLab)
        {
            throw new InvalidOperationException(
                "MapSecretScanningEndpoints found no scanner to serve: set SecretScanningOptions.GitHub.PublicKeysFile or " +
                "PublicKeysUrl (GitHub), or GitLab.SharedSecret (GitLab).");
        }

        var group = endpoints.MapGroup(prefix).AllowAnonymous().ExcludeFromDescription();
        if (gitHub)
        {
            group.MapPost("/github", static (HttpContext context, SecretScanningEndpoints scanning) => scanning.GitHubReportAsync(context));
        }

        if (gitLab)
        {
            group.MapGet("/gitlab/v1/revocable_token_types", static (HttpContext context, SecretScanningEndpoints scanning) => scanning.GitLabTokenTypes(context));
            group.MapPost("/gitlab/v1/revoke_tokens", static (HttpContext context, SecretScanningEndpoints scanning) => scanning.GitLabRevokeAsync(context));
        }

        return group;
    }
}

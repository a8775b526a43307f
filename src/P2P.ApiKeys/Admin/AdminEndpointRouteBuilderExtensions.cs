using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Admin.Audit;
using P2P.ApiKeys.Admin.Keys;
using P2P.ApiKeys.Admin.Login;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Stores;

namespace Microsoft.AspNetCore.Routing;

/// <summary>Maps the admin endpoints of P2P.ApiKeys.</summary>
public static class AdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin endpoints under <paramref name="prefix"/>: <c>POST /users/</c> (first-admin bootstrap, then admin
    /// only), <c>GET /users/</c>, <c>DELETE /users/{id}</c>, <c>POST /users/me/password</c>, <c>POST /token</c>,
    /// <c>POST /keys/</c>, <c>GET /keys/</c>, <c>GET /keys/{id}</c>, <c>PATCH /keys/{id}</c>, <c>DELETE /keys/{id}</c>,
    /// <c>POST /keys/{id}/rotate</c> and <c>GET /audit</c>. Each route takes an admin token, or an API key with its admin
    /// permission (<see cref="AdminPermissions"/>); changing one's password takes an admin token only. Requires <c>AddApiKeyAuth(...).AddAdminEndpoints(...)</c>
    /// and a store registration; the host calls <c>UseAuthentication()</c> and <c>UseAuthorization()</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="prefix">The route prefix of every admin endpoint.</param>
    /// <param name="groups">Which groups of endpoints to map; all by default.</param>
    /// <returns>A builder for conventions that apply to every admin endpoint.</returns>
    /// <exception cref="InvalidOperationException">The admin services were not registered.</exception>
    public static IEndpointConventionBuilder MapAdminEndpoints(
        this IEndpointRouteBuilder endpoints, string prefix = "/admin", AdminEndpointGroups groups = AdminEndpointGroups.All)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<AdminEndpoints>() is null)
        {
            throw new InvalidOperationException(
                "MapAdminEndpoints needs the admin services: call builder.Services.AddApiKeyAuth(...).AddInMemoryStores().AddAdminEndpoints(...) " +
                "(or another store registration) before building the application.");
        }

        var isService = endpoints.ServiceProvider.GetRequiredService<IServiceProviderIsService>();
        if (!isService.IsService(typeof(IApiKeyStore)) || !isService.IsService(typeof(IAdminUserStore))
            || !isService.IsService(typeof(IAdminAuditStore)))
        {
            throw new InvalidOperationException(
                "MapAdminEndpoints needs stores for keys, admins and the audit trail: call AddInMemoryStores() or " +
                "AddEntityFrameworkCoreStores<TContext>() on the builder returned by AddApiKeyAuth(...).");
        }

        var root = endpoints.MapGroup(prefix);
        root.WithMetadata(AdminResponseHeaders.Marker.Instance); // Cache-Control: no-store, nosniff (AdminResponseHeaders)
        root.AddEndpointFilter(AdminStoreFailureFilter.InvokeAsync)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (groups.HasFlag(AdminEndpointGroups.Users))
        {
            AdminUserEndpoints.Map(root);
        }

        if (groups.HasFlag(AdminEndpointGroups.Token))
        {
            AdminLoginEndpoints.Map(root);
        }

        if (groups.HasFlag(AdminEndpointGroups.Keys))
        {
            AdminKeyEndpoints.Map(root);
        }

        if (groups.HasFlag(AdminEndpointGroups.Audit))
        {
            AdminAuditEndpoints.Map(root);
        }

        return root;
    }
}

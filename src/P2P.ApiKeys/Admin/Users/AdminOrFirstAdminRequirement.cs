using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>
/// The requirement of the first-admin bootstrap (<c>POST /admin/users/</c>): met by an admin, by an API key with
/// <see cref="AdminPermissions.UsersWrite"/>, or by anyone while no admin exists. Public so that tools such as OpenAPI generators can tell, from an endpoint's
/// authorization policy, that its credentials are optional; only the library creates and evaluates it.
/// </summary>
/// <remarks>
/// Expressed as a policy rather than <c>AllowAnonymous</c> so that OpenAPI still shows the bearer requirement and
/// Swagger UI sends the token once the first admin exists. The endpoint's atomic create settles a race between two
/// bootstraps.
/// </remarks>
public sealed class AdminOrFirstAdminRequirement : IAuthorizationRequirement
{
    internal const string PolicyName = "P2P.ApiKeys.AdminOrFirstAdmin";

    internal static readonly object StoreUnavailableKey = new();

    /// <summary>Set when an anonymous caller was refused because an admin exists: the 401 then says so.</summary>
    internal static readonly object BootstrapClosedKey = new();

    internal AdminOrFirstAdminRequirement()
    {
    }
}

/// <summary>Evaluates <see cref="AdminOrFirstAdminRequirement"/> against the admin store; fails closed when the store fails.</summary>
internal sealed class AdminOrFirstAdminHandler : AuthorizationHandler<AdminOrFirstAdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminOrFirstAdminRequirement requirement)
    {
        var caller = AdminCaller.From(context.User);
        if (caller.Holds(AdminPermissions.UsersWrite))
        {
            context.Succeed(requirement);
            return;
        }

        if (caller.IsAdminKey)
        {
            // An API key without the permission: 403, never the anonymous bootstrap.
            return;
        }

        if (context.Resource is not HttpContext http || http.RequestServices.GetService(typeof(IAdminUserStore)) is not IAdminUserStore store)
        {
            return;
        }

#pragma warning disable CA1031 // A store failure must fail closed with a 503, never a 500 or a granted bootstrap.
        try
        {
            if (await store.CountAsync(http.RequestAborted).ConfigureAwait(false) == 0)
            {
                context.Succeed(requirement);
            }
            else
            {
                http.Items[AdminOrFirstAdminRequirement.BootstrapClosedKey] = true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (http.RequestServices.GetService(typeof(ILogger<AdminEndpoints>)) is ILogger logger)
            {
                AdminLog.StoreUnavailable(logger, ex);
            }

            http.Items[AdminOrFirstAdminRequirement.StoreUnavailableKey] = true;
        }
#pragma warning restore CA1031
    }
}

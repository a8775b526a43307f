using Microsoft.AspNetCore.Authorization;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// An admin route's permission: met by an admin token (every permission) or by an API key that carries the permission as
/// a scope. An API key without it, an admin permission included among ordinary scopes or not, gets 403.
/// </summary>
internal sealed class AdminPermissionRequirement(string permission) : AuthorizationHandler<AdminPermissionRequirement>, IAuthorizationRequirement
{
    public string Permission { get; } = permission;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminPermissionRequirement requirement)
    {
        if (AdminCaller.From(context.User).Holds(requirement.Permission))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

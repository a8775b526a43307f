using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Audit;

/// <summary><c>/audit</c>: the audit trail of admin actions, newest first.</summary>
internal static class AdminAuditEndpoints
{
    public static void Map(RouteGroupBuilder root) =>
        root.MapGet("/audit", ListAsync)
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.AuditRead))
            .WithTags(AdminDefaults.AuditTag)
            .WithSummary("Read the audit trail")
            .WithDescription("Admin actions (admin.created, admin.deleted, password.changed, login.succeeded, login.failed, " +
                "login.throttled, key.created, key.updated, key.enabled, key.disabled, key.revoked, key.rotated) with their actor " +
                "(an admin, or an API key with admin permissions), newest first, one page at a time. An API key needs admin:audit:read.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<PagedResponse<AdminAuditEntryResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext context, [FromServices] IAdminAuditStore store, [FromServices] IOptions<ApiKeyOptions> options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AdminInput.TryReadPage(context.Request, out var page, out var pageSize, errors);
        pageSize = Paging.Check(page, pageSize, options.Value.MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return AdminResults.Invalid(errors);
        }

        var ct = context.RequestAborted;
        var items = new List<AdminAuditEntryResponse>(pageSize);
        await foreach (var entry in store.ListAsync(Paging.Skip(page, pageSize), pageSize, ct).ConfigureAwait(false))
        {
            items.Add(AdminAuditEntryResponse.From(entry));
        }

        return TypedResults.Ok(new PagedResponse<AdminAuditEntryResponse>
        {
            Items = items,
            Page = page,
            PageSize = pageSize,
            Total = await store.CountAsync(ct).ConfigureAwait(false),
        });
    }
}

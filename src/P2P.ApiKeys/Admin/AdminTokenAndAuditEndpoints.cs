using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary><c>/token</c> (admin login) and <c>/audit</c> (the audit trail).</summary>
internal static class AdminTokenAndAuditEndpoints
{
    public static void MapToken(RouteGroupBuilder root) =>
        root.MapPost("/token", (HttpContext context, [FromServices] AdminLogin login) => login.LoginAsync(context))
            .AllowAnonymous()
            .WithTags(AdminDefaults.UserManagementTag)
            .AcceptsBody<AdminTokenForm>("application/x-www-form-urlencoded")
            .WithSummary("Log in and get an admin token")
            .WithDescription("OAuth2 password-grant shape: form fields username and password (grant_type, if sent, must be " +
                "\"password\"). Returns a short-lived bearer token. Unknown user and wrong password get the same answer; " +
                "repeated failures are throttled per account and per client (429 with Retry-After).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static void MapAudit(RouteGroupBuilder root) =>
        root.MapGet("/audit", ListAuditAsync)
            .RequireAuthorization(AdminDefaults.AuthorizationPolicy)
            .WithTags(AdminDefaults.AuditTag)
            .WithSummary("Read the audit trail")
            .WithDescription("Admin actions (admin.created, admin.deleted, password.changed, login.succeeded, login.failed, " +
                "login.throttled, key.created, key.revoked, key.rotated), newest first, one page at a time.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<PagedResponse<AdminAuditEntryResponse>>, ValidationProblem>> ListAuditAsync(
        HttpContext context, [FromServices] IAdminAuditStore store, [FromServices] IOptions<ApiKeyOptions> options)
    {
        if (!AdminInput.TryReadPage(context.Request, options.Value.MaxPageSize, out var page, out var pageSize, out var error))
        {
            return error!;
        }

        var ct = context.RequestAborted;
        var items = new List<AdminAuditEntryResponse>(pageSize);
        await foreach (var entry in store.ListAsync(AdminInput.Skip(page, pageSize), pageSize, ct).ConfigureAwait(false))
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

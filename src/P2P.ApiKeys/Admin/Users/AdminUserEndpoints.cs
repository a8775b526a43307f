using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using P2P.ApiKeys.Admin.Audit;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>
/// <c>/users</c>: first-admin bootstrap, admin creation, listing, deletion and password change. Each handler reads the
/// request, calls <see cref="AdminUserManager"/>, writes the audit entry and maps the result (<see cref="AdminResults"/>).
/// </summary>
internal static class AdminUserEndpoints
{
    public static void Map(RouteGroupBuilder root)
    {
        var users = root.MapGroup("/users").WithTags(AdminDefaults.UserManagementTag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        // Anonymous only while no admin exists; the policy (not AllowAnonymous) keeps the credentials in OpenAPI.
        users.MapPost("/", CreateAsync)
            .RequireAuthorization(AdminOrFirstAdminRequirement.PolicyName)
            .AcceptsBody<CreateAdminRequest>("application/json")
            .WithSummary("Create an admin")
            .WithDescription("Creates an admin account. While no admin exists this is the one-time, anonymous bootstrap of the " +
                "first admin (of two simultaneous attempts exactly one wins); afterwards an admin token is required, or an API key " +
                "that holds every admin permission.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        users.MapGet("/", ListAsync)
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.UsersWrite))
            .WithSummary("List admins")
            .WithDescription("Lists admin accounts, oldest first, one page at a time (page from 1; page_size capped by the server). " +
                "An API key needs admin:users:write.");

        users.MapDelete("/{id}", DeleteAsync)
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.UsersWrite))
            .WithSummary("Delete an admin")
            .WithDescription("Deletes an admin account and invalidates its tokens. The last admin can never be deleted. " +
                "An API key needs admin:users:write.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        users.MapPost("/me/password", ChangePasswordAsync)
            .RequireAuthorization(AdminDefaults.AuthorizationPolicy)
            .AcceptsBody<ChangePasswordRequest>("application/json")
            .WithSummary("Change my password")
            .WithDescription("Changes the calling admin's password (an admin token only: an API key has no password). Every token " +
                "issued before, including the one used, stops working. Wrong current passwords count toward the account's lockout.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Results<Created<AdminUserResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext context, [FromServices] AdminUserManager users, [FromServices] AdminAuditTrail audit)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<CreateAdminRequest>(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        // The policy let an anonymous caller through only because no admin existed; the store re-checks that atomically.
        var caller = AdminCaller.From(context.User);
        if (caller.RefuseCreatingAdmin() is { } refused)
        {
            return AdminResults.Forbidden(refused);
        }

        var firstAdmin = caller.Actor is null;
        var result = await users.CreateAsync(request!.UserName, request.Password, firstAdmin, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result, context);
        }

        await audit.WriteAsync(context, AdminAuditTrail.AdminCreated, result.Value.UserName, firstAdmin ? AuditActor.Admin(result.Value.UserName) : null)
            .ConfigureAwait(false);
        return TypedResults.Created((string?)null, AdminUserResponse.From(result.Value));
    }

    private static async Task<Results<Ok<PagedResponse<AdminUserResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext context, [FromServices] AdminUserManager users)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!AdminInput.TryReadPage(context.Request, out var page, out var pageSize, errors))
        {
            return AdminResults.Invalid(errors);
        }

        var result = await users.ListAsync(page, pageSize, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(new PagedResponse<AdminUserResponse>
            {
                Items = [.. result.Value.Items.Select(AdminUserResponse.From)],
                Page = result.Value.Page,
                PageSize = result.Value.PageSize,
                Total = result.Value.Total,
            })
            : AdminResults.Problem(result, context);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, HttpContext context, [FromServices] AdminUserManager users, [FromServices] AdminAuditTrail audit)
    {
        if (!AdminInput.TryParseId(id, out var adminId))
        {
            return AdminResults.NotFound("admin");
        }

        var result = await users.DeleteAsync(adminId, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result, context);
        }

        await audit.WriteAsync(context, AdminAuditTrail.AdminDeleted, result.Value.UserName).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        HttpContext context, ClaimsPrincipal principal, [FromServices] AdminUserManager users, [FromServices] AdminAuditTrail audit)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<ChangePasswordRequest>(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var adminId = Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var sub) ? sub : Guid.Empty;
        var result = await users.ChangePasswordAsync(adminId, request!.CurrentPassword, request.NewPassword, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result, context);
        }

        await audit.WriteAsync(context, AdminAuditTrail.PasswordChanged, result.Value.UserName).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}

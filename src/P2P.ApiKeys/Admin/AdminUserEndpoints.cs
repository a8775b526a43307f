using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary><c>/users</c>: first-admin bootstrap, admin creation, listing, deletion and password change.</summary>
internal static class AdminUserEndpoints
{
    public static void Map(RouteGroupBuilder root)
    {
        var users = root.MapGroup("/users").WithTags(AdminDefaults.UserManagementTag);

        // Anonymous only while no admin exists; the policy (not AllowAnonymous) keeps the bearer requirement in OpenAPI.
        users.MapPost("/", CreateAsync)
            .RequireAuthorization(AdminOrFirstAdminRequirement.PolicyName)
            .AcceptsBody<CreateAdminRequest>("application/json")
            .WithSummary("Create an admin")
            .WithDescription("Creates an admin account. While no admin exists this is the one-time, anonymous bootstrap of the " +
                "first admin (of two simultaneous attempts exactly one wins); afterwards an admin token is required.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        var protectedUsers = users.MapGroup("").RequireAuthorization(AdminDefaults.AuthorizationPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        protectedUsers.MapGet("/", ListAsync)
            .WithSummary("List admins")
            .WithDescription("Lists admin accounts, oldest first, one page at a time (page from 1; page_size capped by the server).");

        protectedUsers.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete an admin")
            .WithDescription("Deletes an admin account and invalidates its tokens. The last admin can never be deleted.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        protectedUsers.MapPost("/me/password", ChangePasswordAsync)
            .AcceptsBody<ChangePasswordRequest>("application/json")
            .WithSummary("Change my password")
            .WithDescription("Changes the calling admin's password. Every token issued before, including the one used, stops working. Wrong current passwords count toward the account's lockout.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Results<Created<AdminUserResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        [FromServices] IAdminUserStore store,
        [FromServices] IPasswordHasher<AdminUser> hasher,
        [FromServices] AdminPasswordPolicy passwordPolicy,
        [FromServices] IOptions<AdminOptions> options,
        [FromServices] AdminClock clock,
        [FromServices] AdminAuditTrail audit,
        [FromServices] ILogger<AdminEndpoints> logger)
    {
        var ct = context.RequestAborted;

        // The policy let an anonymous caller through only because no admin existed; the create below re-checks that
        // atomically, so of two simultaneous bootstraps exactly one succeeds.
        var bootstrap = context.User.Identity?.IsAuthenticated != true;
        var (request, error) = await AdminRequestReader.ReadJsonAsync<CreateAdminRequest>(context, options.Value.MaxRequestBodyBytes, allowEmpty: false)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var userName = request!.UserName ?? "";
        if (userName.Length is 0 or > AdminUser.MaxUserNameLength || AdminInput.HasHiddenCharacters(userName) || userName.Any(char.IsWhiteSpace))
        {
            errors["username"] = [$"username must be 1 to {AdminUser.MaxUserNameLength} characters, without white space or control characters."];
        }

        if (passwordPolicy.Check(request.Password, userName) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.UtcNow;
        var user = new AdminUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            CreatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        switch (await store.CreateAsync(user, onlyIfNoAdminExists: bootstrap, ct).ConfigureAwait(false))
        {
            case AdminCreateResult.AdminsAlreadyExist:
                return AdminInput.Conflict("An admin already exists; log in as an admin to create further admins.");
            case AdminCreateResult.DuplicateUserName:
                return AdminInput.Conflict("An admin with that user name already exists.");
        }

        AdminLog.AdminCreated(logger, user.Id, bootstrap);
        await audit.WriteAsync(context, AdminAuditTrail.AdminCreated, actor: bootstrap ? user.UserName : null, target: user.UserName)
            .ConfigureAwait(false);
        return TypedResults.Created((string?)null, AdminUserResponse.From(user));
    }

    private static async Task<Results<Ok<PagedResponse<AdminUserResponse>>, ValidationProblem>> ListAsync(
        HttpContext context, [FromServices] IAdminUserStore store, [FromServices] IOptions<ApiKeyOptions> options)
    {
        if (!AdminInput.TryReadPage(context.Request, options.Value.MaxPageSize, out var page, out var pageSize, out var error))
        {
            return error!;
        }

        var ct = context.RequestAborted;
        var items = new List<AdminUserResponse>(pageSize);
        await foreach (var user in store.ListAsync(AdminInput.Skip(page, pageSize), pageSize, ct).ConfigureAwait(false))
        {
            items.Add(AdminUserResponse.From(user));
        }

        return TypedResults.Ok(new PagedResponse<AdminUserResponse>
        {
            Items = items,
            Page = page,
            PageSize = pageSize,
            Total = await store.CountAsync(ct).ConfigureAwait(false),
        });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id,
        HttpContext context,
        [FromServices] IAdminUserStore store,
        [FromServices] AdminAuditTrail audit,
        [FromServices] ILogger<AdminEndpoints> logger)
    {
        var ct = context.RequestAborted;
        if (!AdminInput.TryParseId(id, out var adminId) || await store.FindByIdAsync(adminId, ct).ConfigureAwait(false) is not { } user)
        {
            return AdminInput.NotFound("admin");
        }

        switch (await store.DeleteAsync(adminId, ct).ConfigureAwait(false))
        {
            case AdminDeleteResult.NotFound:
                return AdminInput.NotFound("admin");
            case AdminDeleteResult.LastAdmin:
                return AdminInput.Conflict("The last admin cannot be deleted; create another admin first.");
        }

        AdminLog.AdminDeleted(logger, adminId);
        await audit.WriteAsync(context, AdminAuditTrail.AdminDeleted, actor: null, target: user.UserName).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        HttpContext context,
        ClaimsPrincipal principal,
        [FromServices] IAdminUserStore store,
        [FromServices] IPasswordHasher<AdminUser> hasher,
        [FromServices] AdminPasswordPolicy passwordPolicy,
        [FromServices] AdminLoginThrottle throttle,
        [FromServices] IOptions<AdminOptions> options,
        [FromServices] AdminAuditTrail audit,
        [FromServices] ILogger<AdminEndpoints> logger)
    {
        var ct = context.RequestAborted;
        var (request, error) = await AdminRequestReader.ReadJsonAsync<ChangePasswordRequest>(context, options.Value.MaxRequestBodyBytes, allowEmpty: false)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        if (!Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var adminId)
            || await store.FindByIdAsync(adminId, ct).ConfigureAwait(false) is not { } user)
        {
            return AdminInput.NotFound("admin");
        }

        var current = request!.CurrentPassword ?? "";
        if (current.Length is 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["current_password"] = ["The current password is incorrect."] });
        }

        // Every check of the current password counts toward the account's lockout, as at the token endpoint:
        // a stolen token must not become an unlimited password oracle.
        var (reserved, retryAfter, reservedCount) = await throttle.ReserveAsync(user, ct).ConfigureAwait(false);
        if (!reserved)
        {
            AdminLog.LoginThrottled(logger, "account delay");
            return AdminLogin.TooManyRequests(context, retryAfter);
        }

        if (current.Length > options.Value.MaxPasswordLength
            || hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["current_password"] = ["The current password is incorrect."] });
        }

        await throttle.ResetAsync(user.Id, reservedCount, ct).ConfigureAwait(false);
        if (passwordPolicy.Check(request.NewPassword, user.UserName) is { } passwordError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["new_password"] = [passwordError] });
        }

        // The reservation gave the admin a new concurrency stamp: change the password on a fresh copy, and only
        // if nobody changed it meanwhile.
        if (await store.FindByIdAsync(adminId, ct).ConfigureAwait(false) is not { } fresh
            || !string.Equals(fresh.PasswordHash, user.PasswordHash, StringComparison.Ordinal))
        {
            return AdminInput.Conflict("The admin changed concurrently; retry.");
        }

        user = fresh;
        user.PasswordHash = hasher.HashPassword(user, request.NewPassword!);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.FailedLoginCount = 0;
        user.LockoutEndsAt = null;
        if (!await store.UpdateAsync(user, ct).ConfigureAwait(false))
        {
            return AdminInput.Conflict("The admin changed concurrently; retry.");
        }

        AdminLog.PasswordChanged(logger, user.Id);
        await audit.WriteAsync(context, AdminAuditTrail.PasswordChanged, actor: user.UserName, target: user.UserName).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace P2P.ApiKeys.Admin.Login;

/// <summary><c>/token</c>: admin login, OAuth2 password-grant shape.</summary>
internal static class AdminLoginEndpoints
{
    public static void Map(RouteGroupBuilder root) =>
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
}

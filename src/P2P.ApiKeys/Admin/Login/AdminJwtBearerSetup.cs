using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>
/// Pins everything the <c>AdminBearer</c> scheme accepts: HS256 with our key, our issuer, audience and token type,
/// a lifetime checked on our clock with a small skew, and an admin that still exists with the same security stamp.
/// </summary>
internal sealed class AdminJwtBearerSetup(IOptions<AdminOptions> adminOptions, AdminSigningKey signingKey, TimeProvider clock)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (!string.Equals(name, AdminDefaults.AuthenticationScheme, StringComparison.Ordinal))
        {
            return;
        }

        var o = adminOptions.Value.Token;
        var timeProvider = clock;
        options.MapInboundClaims = false;
        options.IncludeErrorDetails = false;
        options.SaveToken = false;
        options.TimeProvider = timeProvider;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = o.Issuer,
            ValidateAudience = true,
            ValidAudience = o.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = o.ClockSkew,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = signingKey.Key,
            // Only the configured key: never a key named by the token (jku, x5u, jwk, kid tricks).
            IssuerSigningKeyResolver = (_, _, _, _) => [signingKey.Key],
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidTypes = [AdminDefaults.TokenType],
            // The admin identity is told apart from an API key's by this type (AdminCaller).
            AuthenticationType = AdminDefaults.AuthenticationScheme,
            NameClaimType = JwtRegisteredClaimNames.Name,
            RoleClaimType = "role",
            LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = timeProvider.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp > now - parameters.ClockSkew
                    && (notBefore is not { } nbf || nbf <= now + parameters.ClockSkew);
            },
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = ValidateAdminAsync,
            OnAuthenticationFailed = context =>
            {
                // The exception type only: its message may quote parts of the token.
                var logger = Logger(context.HttpContext);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var reason = context.Exception.GetType().Name;
                    AdminLog.TokenRejected(logger, reason);
                }

                return Task.CompletedTask;
            },
            OnChallenge = WriteChallengeAsync,
            OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                "Forbidden", "The admin token does not grant access to this resource."),
        };
    }

    /// <summary>
    /// Checked per request rather than cached: admin traffic is light, a lookup by primary key is cheap, and it
    /// makes a password change or deletion take effect on every node at once with nothing to evict.
    /// </summary>
    private static async Task ValidateAdminAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        var sub = principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var stamp = principal?.FindFirst(AdminDefaults.SecurityStampClaimType)?.Value;
        if (!Guid.TryParse(sub, out var id) || string.IsNullOrEmpty(stamp))
        {
            context.Fail("The admin token lacks its subject or security stamp.");
            return;
        }

        var store = context.HttpContext.RequestServices.GetRequiredService<IAdminUserStore>();
        AdminUser? admin;
#pragma warning disable CA1031 // Any store failure must fail closed with a 503, never a 500 or an accepted token.
        try
        {
            admin = await store.FindByIdAsync(id, context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AdminLog.StoreUnavailable(Logger(context.HttpContext), ex);
            context.HttpContext.Items[AdminOrFirstAdminRequirement.StoreUnavailableKey] = true;
            context.Fail("The admin store is unavailable.");
            return;
        }
#pragma warning restore CA1031

        if (admin is null || !string.Equals(admin.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            var logger = Logger(context.HttpContext);
            AdminLog.TokenRejected(logger, admin is null ? "admin no longer exists" : "security stamp changed");
            context.Fail("The admin token is no longer valid.");
        }
    }

    private static Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.HttpContext.Items.ContainsKey(AdminOrFirstAdminRequirement.StoreUnavailableKey))
        {
            return AdminStoreFailureFilter.WriteUnavailableAsync(context.HttpContext);
        }

        var request = context.Request;
        var presentedApiKey = request.Headers.ContainsKey(ApiKeyDefaults.HeaderName)
            || request.Headers.Authorization.ToString().StartsWith(ApiKeyDefaults.AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase);
        if (presentedApiKey && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // Only routes that take an admin token alone get here with a key (changing one's password): the others send a
            // request with an API key to the API-key scheme (AdminAuthorization).
            return WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                "This admin route takes an admin token only (Authorization: Bearer); an API key is not accepted here.");
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return WriteUnauthorizedAsync(context);
    }

    /// <summary>
    /// Says which of the usual mistakes it was, from what the caller sent, and nothing about the server: no token,
    /// an Authorization value that is not <c>Bearer &lt;token&gt;</c> (typically "Bearer" pasted twice), the bootstrap
    /// closed because an admin exists, or a token of ours that has expired (checked with everything but its lifetime,
    /// so a forged token never learns more than "not valid").
    /// </summary>
    private static async Task WriteUnauthorizedAsync(JwtBearerChallengeContext context)
    {
        var http = context.HttpContext;
        var authorization = context.Request.Headers.Authorization.ToString().Trim();
        string detail;
        if (authorization.Length == 0)
        {
            detail = http.Items.ContainsKey(AdminOrFirstAdminRequirement.BootstrapClosedKey)
                ? "An admin already exists: log in with POST /admin/token and Authorize with the token to create more admins."
                : "No admin token was sent. Log in with POST /admin/token and send its access_token as 'Authorization: Bearer <token>' "
                    + "(in Swagger UI: Authorize, paste the token only).";
        }
        else if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            detail = "The Authorization header must be 'Bearer <token>', with the access_token of POST /admin/token.";
        }
        else if (authorization["Bearer ".Length..].TrimStart().StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            detail = "The Authorization header says 'Bearer' twice. Send 'Authorization: Bearer <token>'; "
                + "in Swagger UI's Authorize dialog paste the token only, it adds 'Bearer ' itself.";
        }
        else if (await ExpiredAtAsync(context, authorization["Bearer ".Length..].Trim()).ConfigureAwait(false) is { } expiredAt)
        {
            detail = string.Create(CultureInfo.InvariantCulture,
                $"The admin token expired at {expiredAt:yyyy-MM-dd HH:mm:ss} UTC: log in again with POST /admin/token and Authorize with the new token.");
        }
        else
        {
            detail = "The admin token is not valid (or no longer valid): log in again with POST /admin/token and use the new token.";
        }

        await WriteProblemAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized", detail).ConfigureAwait(false);
    }

    /// <summary>When the token failed on its lifetime only and has expired: its expiry. Otherwise null.</summary>
    private static async Task<DateTime?> ExpiredAtAsync(JwtBearerChallengeContext context, string token)
    {
        if (context.AuthenticateFailure is not SecurityTokenInvalidLifetimeException { Expires: { } expires })
        {
            return null;
        }

        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.ValidateLifetime = false;
        parameters.LifetimeValidator = null;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        return result.IsValid && expires <= context.Options.TimeProvider!.GetUtcNow().UtcDateTime ? expires : null;
    }

    internal static Task WriteProblemAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("P2P.ApiKeys.Admin.AdminBearer");
}

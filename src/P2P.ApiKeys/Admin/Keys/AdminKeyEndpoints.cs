using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary><c>/keys</c>: mint (shown once), list, read, change, revoke and rotate API keys, all through <see cref="IApiKeyManager"/>.</summary>
internal static class AdminKeyEndpoints
{
    public static void Map(RouteGroupBuilder root)
    {
        var keys = root.MapGroup("/keys")
            .WithTags(AdminDefaults.KeyManagementTag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        // The Location of a new key is built by LinkGenerator from the final route of GET /{id}, so that prefixes of the
        // host's own groups (app.MapGroup("/api").MapAdminEndpoints()) and the path base are in it. The name is made
        // from that final pattern (as MapIdentityApi does), so mapping the endpoints twice under two prefixes works.
        string? getKeyEndpoint = null;

        keys.MapPost("/", (HttpContext context, [FromServices] AdminKeyService service) => service.CreateAsync(context, getKeyEndpoint!))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysWrite))
            .AcceptsBody<CreateApiKeyRequest>("application/json")
            .WithSummary("Create an API key")
            .WithDescription("Mints a new API key. The full key is in this response only; store it now, it is never shown again. " +
                "Without scopes the key gets the host's default scopes; without rate_limit or quota the host's defaults (if any) apply. " +
                "Admin permissions (admin:keys:read, admin:keys:write, admin:users:write, admin:audit:read) are scopes too: the caller " +
                "must hold each one it gives, and a key with one must expire within 366 days. An API key needs admin:keys:write.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        keys.MapGet("/", (HttpContext context, [FromServices] AdminKeyService service) => service.ListAsync(context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysRead))
            .WithSummary("List API keys")
            .WithDescription("Lists key metadata, newest first, one page at a time (page from 1; page_size capped by the server), " +
                "optionally only the keys of one owner and in one state (active, revoked or expired). Never the keys. " +
                "An API key needs admin:keys:read.");

        keys.MapGet("/{id}", (string id, HttpContext context, [FromServices] AdminKeyService service) => service.GetAsync(id, context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysRead))
            .WithSummary("Get an API key")
            .WithDescription("Returns one key's metadata: never the key or its hash. A key in its rotation grace period shows " +
                "grace_ends_at (revoked_at stays null until then). An API key needs admin:keys:read.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Add(endpoint =>
            {
                var pattern = ((RouteEndpointBuilder)endpoint).RoutePattern.RawText;
                getKeyEndpoint = $"P2P.ApiKeys.Admin.GetKey-{pattern}";

                // A route name, not an endpoint name: it addresses the link without becoming the OpenAPI operationId.
                endpoint.Metadata.Add(new RouteNameMetadata(getKeyEndpoint));
            });

        keys.MapMethods("/{id}", [HttpMethods.Patch], (string id, HttpContext context, [FromServices] AdminKeyService service) => service.UpdateAsync(id, context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysWrite))
            .AcceptsBody<UpdateApiKeyRequest>("application/json")
            .WithSummary("Change an API key")
            .WithDescription("Changes a key's name, scopes, expiry, metadata, enabled flag, rate_limit ({\"limit\", \"window_seconds\", \"algorithm\"?: \"fixed_window\"|\"gcra\", \"burst\"?}) or " +
                "quota ({\"limit\", \"period\": \"day\"|\"week\"|\"month\", \"anchor_day\"?: 1-28 for a month or \"monday\"..\"sunday\" for a week}, UTC); changing a window or period keeps the count already used in it (POST /limits/reset clears it). A field that is absent or null stays as it is, " +
                "limits included; remove_rate_limit or remove_quota (true) removes the key's own limit so the host default applies. " +
                "Sending a value the key already has (enabled included) changes nothing and writes nothing. Never its secret. A disabled " +
                "key is refused like a revoked one until it is enabled again. Only an active key that has not been rotated can be " +
                "changed. Every node applies the change once its cached copy of the key is refreshed. An API key needs admin:keys:write.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        keys.MapDelete("/{id}", (string id, HttpContext context, [FromServices] AdminKeyService service) => service.RevokeAsync(id, context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysWrite))
            .WithSummary("Revoke an API key")
            .WithDescription("Revokes the key at once. The record is kept for the audit trail. A key already revoked is a conflict. " +
                "An API key needs admin:keys:write.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        keys.MapPost("/{id}/limits/reset", (string id, HttpContext context, [FromServices] AdminKeyService service) => service.ResetLimitsAsync(id, context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysWrite))
            .WithSummary("Reset an API key's used limits")
            .WithDescription("Clears what the key has used of its rate limit and quota in the current window and period, and answers the " +
                "key with its usage. Budgets are kept per lineage, so the key's rotations (before and after) are reset with it. Changing " +
                "a key's limits with PATCH keeps the count; this is the only early reset. Audited. An API key needs admin:keys:write.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapPost("/{id}/rotate", (string id, HttpContext context, [FromServices] AdminKeyService service) => service.RotateAsync(id, context, getKeyEndpoint!))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysWrite))
            .AcceptsBody<RotateApiKeyRequest>("application/json")
            .WithSummary("Rotate an API key")
            .WithDescription("Mints a replacement with the same name, scopes, metadata, limits and expiry (shown once). The old key keeps working for " +
                "grace_period_seconds (absent: 0, revoked at once; bounded by the server), never past its own expiry; meanwhile it shows grace_ends_at. Of parallel rotations of one key " +
                "exactly one succeeds; the others get 409. An API key needs admin:keys:write.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        AdminUsageEndpoints.Map(root, keys);

        var owners = root.MapGroup("/owners")
            .WithTags(AdminDefaults.KeyManagementTag)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        owners.MapGet("/{owner}", (string owner, HttpContext context, [FromServices] AdminOwnerService service) => service.GetAsync(owner, context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysRead))
            .WithSummary("Get an owner's shared budget")
            .WithDescription("Returns the owner's rate_limit and quota (shared by all of its keys, checked together with each key's own: a request " +
                "must fit both), what the keys together used of them in the current window and period, and the number of active keys. " +
                "An owner without limits answers with null limits. An API key needs admin:keys:read.");

        owners.MapMethods("/{owner}", [HttpMethods.Patch], (string owner, HttpContext context, [FromServices] AdminOwnerService service) => service.UpdateAsync(owner, context))
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysWrite))
            .AcceptsBody<UpdateOwnerRequest>("application/json")
            .WithSummary("Change an owner's shared budget")
            .WithDescription("Sets the owner's rate_limit and quota, shared by all of its keys (same shapes as on a key). A limit that is absent or " +
                "null stays as it is; remove_rate_limit or remove_quota (true) removes it. A refused request counts in neither the key's " +
                "budget nor the owner's; a 429 names owner_rate or owner_quota in violated-policies. Changing a limit keeps the count already " +
                "used. This node applies the change at once, others within 30 seconds. Audited (owner.limits_changed). An API key needs admin:keys:write.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary><c>/keys</c>: mint (shown once), list, read, revoke and rotate API keys.</summary>
internal static class AdminKeyEndpoints
{
    public static void Map(RouteGroupBuilder root, string keysPath)
    {
        var keys = root.MapGroup("/keys")
            .WithTags(AdminDefaults.KeyManagementTag)
            .RequireAuthorization(AdminDefaults.AuthorizationPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        keys.MapPost("/", (HttpContext context, [FromServices] AdminKeyService service) => service.CreateAsync(context, keysPath))
            .AcceptsBody<CreateApiKeyRequest>("application/json")
            .WithSummary("Create an API key")
            .WithDescription("Mints a new API key. The full key is in this response only; store it now, it is never shown again. " +
                "Without scopes the key gets the host's default scopes.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        keys.MapGet("/", ListAsync)
            .WithSummary("List API keys")
            .WithDescription("Lists key metadata, newest first, one page at a time (page from 1; page_size capped by the server). Never the keys.");

        keys.MapGet("/{id}", GetAsync)
            .WithSummary("Get an API key")
            .WithDescription("Returns one key's metadata: never the key or its hash.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapDelete("/{id}", (string id, HttpContext context, [FromServices] AdminKeyService service) => service.RevokeAsync(id, context))
            .WithSummary("Revoke an API key")
            .WithDescription("Revokes the key at once. The record is kept for the audit trail.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        AdminKeyUpdateEndpoint.Map(keys);

        keys.MapPost("/{id}/rotate", (string id, HttpContext context, [FromServices] AdminKeyService service) => service.RotateAsync(id, context, keysPath))
            .AcceptsBody<RotateApiKeyRequest>("application/json")
            .WithSummary("Rotate an API key")
            .WithDescription("Mints a replacement with the same name, scopes and expiry (shown once). The old key keeps working for " +
                "grace_period_seconds (default 0, bounded by the server), never past its own expiry.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Results<Ok<PagedResponse<ApiKeyResponse>>, ValidationProblem>> ListAsync(
        HttpContext context, [FromServices] IApiKeyStore store, [FromServices] IOptions<ApiKeyOptions> options,
        [FromServices] IApiKeyLimiter limiter, [FromServices] IOptionsMonitor<ApiKeyRateLimitOptions> limitOptions, [FromServices] AdminClock clock)
    {
        if (!AdminInput.TryReadPage(context.Request, options.Value.MaxPageSize, out var page, out var pageSize, out var error))
        {
            return error!;
        }

        var ct = context.RequestAborted;
        var items = new List<ApiKeyResponse>(pageSize);
        await foreach (var key in store.ListAsync(AdminInput.Skip(page, pageSize), pageSize, ct).ConfigureAwait(false))
        {
            var item = ApiKeyResponse.From(key);
            item.Usage = await AdminKeyLimits.ReadUsageAsync(key, limiter, limitOptions.CurrentValue, clock.UtcNow, ct).ConfigureAwait(false);
            items.Add(item);
        }

        return TypedResults.Ok(new PagedResponse<ApiKeyResponse>
        {
            Items = items,
            Page = page,
            PageSize = pageSize,
            Total = await store.CountAsync(ct).ConfigureAwait(false),
        });
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, [FromServices] IApiKeyStore store,
        [FromServices] IApiKeyLimiter limiter, [FromServices] IOptionsMonitor<ApiKeyRateLimitOptions> limitOptions, [FromServices] AdminClock clock)
    {
        if (!AdminInput.TryParseId(id, out var keyId)
            || await store.FindByIdAsync(keyId, context.RequestAborted).ConfigureAwait(false) is not { } key)
        {
            return AdminInput.NotFound("API key");
        }

        var response = ApiKeyResponse.From(key);
        response.Usage = await AdminKeyLimits.ReadUsageAsync(key, limiter, limitOptions.CurrentValue, clock.UtcNow, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(response);
    }
}

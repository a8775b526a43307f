using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary><c>PATCH /keys/{id}</c>: change a key's rate limit and quota.</summary>
internal static class AdminKeyUpdateEndpoint
{
    public const string KeyUpdated = "key.updated";

    public static void Map(RouteGroupBuilder keys) =>
        keys.MapPatch("/{id}", UpdateAsync)
            .AcceptsBody<UpdateApiKeyRequest>("application/json")
            .WithSummary("Update an API key")
            .WithDescription("Changes the fields present in the body: rate_limit ({\"limit\", \"window_seconds\"}) and quota " +
                "({\"limit\", \"period\": \"day\"|\"month\"}, UTC calendar periods). null removes the key's own limit, so the host default " +
                "applies. Every node enforces the change once its cached copy of the key is refreshed.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<Results<Ok<ApiKeyResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id,
        HttpContext context,
        [FromServices] IApiKeyStore store,
        [FromServices] IApiKeyChangeNotifier notifier,
        [FromServices] IApiKeyLimiter limiter,
        [FromServices] IOptionsMonitor<ApiKeyRateLimitOptions> limitOptions,
        [FromServices] IOptions<AdminOptions> adminOptions,
        [FromServices] AdminClock clock,
        [FromServices] AdminAuditTrail audit,
        [FromServices] ILogger<AdminEndpoints> logger)
    {
        var ct = context.RequestAborted;
        var (request, error) = await AdminRequestReader.ReadJsonAsync<UpdateApiKeyRequest>(context, adminOptions.Value.MaxRequestBodyBytes, allowEmpty: false)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AdminKeyLimits.TryRead(request!.RateLimit, errors, out var rateLimit);
        AdminKeyLimits.TryRead(request.Quota, errors, out var quota);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!AdminInput.TryParseId(id, out var keyId) || await store.FindByIdAsync(keyId, ct).ConfigureAwait(false) is not { } key)
        {
            return AdminInput.NotFound("API key");
        }

        if (request.HasRateLimit || request.HasQuota)
        {
            key.RateLimit = request.HasRateLimit ? rateLimit : key.RateLimit;
            key.Quota = request.HasQuota ? quota : key.Quota;
            if (!await store.UpdateLimitsAsync(key.Id, key.RateLimit, key.Quota, ct).ConfigureAwait(false))
            {
                return AdminInput.NotFound("API key");
            }

            // After the write, not cancellable: cached copies of the key hold the old limits.
            await notifier.KeyChangedAsync(key.LookupId, CancellationToken.None).ConfigureAwait(false);
            ApiKeyRateLimitLog.KeyLimitsUpdated(logger, key.Id, key.LookupId);
            await audit.WriteAsync(context, KeyUpdated, actor: null, target: key.Id.ToString()).ConfigureAwait(false);
        }

        var response = ApiKeyResponse.From(key);
        response.Usage = await AdminKeyLimits.ReadUsageAsync(key, limiter, limitOptions.CurrentValue, clock.UtcNow, ct).ConfigureAwait(false);
        return TypedResults.Ok(response);
    }
}

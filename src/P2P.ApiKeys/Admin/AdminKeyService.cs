using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// The <c>/keys</c> endpoints over <see cref="IApiKeyManager"/>: read the request, call the manager, map its result to
/// HTTP, write the audit entry. The rules live in the manager.
/// </summary>
internal sealed class AdminKeyService(
    IApiKeyManager manager,
    LinkGenerator links,
    IOptions<ApiKeyOptions> keyOptions,
    IOptions<AdminOptions> adminOptions,
    AdminAuditTrail audit,
    IApiKeyLimiter limiter,
    IOptionsMonitor<ApiKeyRateLimitOptions> limitOptions,
    AdminClock clock,
    ILogger<AdminEndpoints> logger)
{
    public async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext context, string getKeyEndpoint)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<CreateApiKeyRequest>(context, adminOptions.Value.MaxRequestBodyBytes, allowEmpty: false)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        if (request!.Scopes is { } scopes && scopes.Contains(null))
        {
            return Invalid("scopes", "Each scope must be 1 to 100 characters, without white space or control characters.");
        }

        if (!TryReadLimits(request.RateLimit, request.Quota, out var rateLimit, out var quota, out var invalid))
        {
            return invalid;
        }

        var adminName = context.User.FindFirst("name")?.Value;
        var result = await manager.CreateAsync(
            new ApiKeyCreateRequest
            {
                Name = request.Name ?? "",
                // The owner of an admin-made key is the admin: it is not the client's to claim.
                Owner = (adminName is { Length: > ApiKeyRecord.MaxOwnerLength } ? adminName[..ApiKeyRecord.MaxOwnerLength] : adminName),
                Scopes = request.Scopes is null ? null : [.. request.Scopes!],
                ExpiresAt = request.ExpiresAt,
                Metadata = request.Metadata,
                Enabled = request.Enabled ?? true,
                RateLimit = rateLimit,
                Quota = quota,
            },
            context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return result.Error == ApiKeyError.Invalid ? TypedResults.ValidationProblem(result.Errors) : Problem(result);
        }

        var record = result.Value.Record;
        AdminLog.KeyCreated(logger, record.Id, record.LookupId);
        await AuditAsync(context, AdminAuditTrail.KeyCreated, record.Id.ToString()).ConfigureAwait(false);
        return TypedResults.Created(KeyLocation(context, getKeyEndpoint, record.Id), CreatedApiKeyResponse.From(result.Value));
    }

    public async Task<Results<Ok<PagedResponse<ApiKeyResponse>>, ValidationProblem>> ListAsync(HttpContext context)
    {
        var maxPageSize = Math.Min(keyOptions.Value.MaxPageSize, ApiKeyListRequest.MaxPageSize);
        if (!AdminInput.TryReadPage(context.Request, maxPageSize, out var page, out var pageSize, out var error))
        {
            return error!;
        }

        ApiKeyState? state = null;
        if (context.Request.Query["state"] is { Count: > 0 } rawState)
        {
            if (!Enum.TryParse<ApiKeyState>(rawState.ToString(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)
                || !char.IsAsciiLetter(rawState.ToString()[0]))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["state must be active, revoked or expired."] });
            }

            state = parsed;
        }

        var owner = context.Request.Query["owner"] is { Count: > 0 } rawOwner ? rawOwner.ToString() : null;
        var result = await manager.ListAsync(new ApiKeyListRequest { Page = page, PageSize = pageSize, Owner = owner, State = state }, context.RequestAborted)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(result.Errors);
        }

        return TypedResults.Ok(new PagedResponse<ApiKeyResponse>
        {
            Items = await WithUsageAsync(result.Value.Items, context.RequestAborted).ConfigureAwait(false),
            Page = page,
            PageSize = pageSize,
            Total = result.Value.Total,
        });
    }

    public async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext context)
    {
        if (!AdminInput.TryParseId(id, out var keyId))
        {
            return AdminInput.NotFound("API key");
        }

        var result = await manager.GetAsync(keyId, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(await WithUsageAsync(result.Value, context.RequestAborted).ConfigureAwait(false))
            : AdminInput.NotFound("API key");
    }

    public async Task<Results<Ok<ApiKeyResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, HttpContext context)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<UpdateApiKeyRequest>(context, adminOptions.Value.MaxRequestBodyBytes, allowEmpty: false)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        if (!AdminInput.TryParseId(id, out var keyId))
        {
            return AdminInput.NotFound("API key");
        }

        if (request!.Scopes is { } scopes && scopes.Contains(null))
        {
            return Invalid("scopes", "Each scope must be 1 to 100 characters, without white space or control characters.");
        }

        if (!TryReadLimits(request.RateLimit, request.Quota, out var rateLimit, out var quota, out var invalid))
        {
            return invalid;
        }

        var result = await manager.UpdateAsync(
            keyId,
            new ApiKeyUpdateRequest
            {
                Name = request.Name,
                Scopes = request.Scopes is null ? null : [.. request.Scopes!],
                ExpiresAt = request.ExpiresAt,
                Metadata = request.Metadata,
                Enabled = request.Enabled,
                RateLimit = rateLimit,
                RemoveRateLimit = request.HasRateLimit && request.RateLimit is null,
                Quota = quota,
                RemoveQuota = request.HasQuota && request.Quota is null,
            },
            context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return result.Error == ApiKeyError.Invalid ? TypedResults.ValidationProblem(result.Errors) : Problem(result);
        }

        var action = request.Enabled switch
        {
            true => AdminAuditTrail.KeyEnabled,
            false => AdminAuditTrail.KeyDisabled,
            null => AdminAuditTrail.KeyUpdated,
        };
        await AuditAsync(context, action, keyId.ToString()).ConfigureAwait(false);
        return TypedResults.Ok(await WithUsageAsync(result.Value, CancellationToken.None).ConfigureAwait(false));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context)
    {
        if (!AdminInput.TryParseId(id, out var keyId))
        {
            return AdminInput.NotFound("API key");
        }

        var result = await manager.RevokeAsync(keyId, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return Problem(result);
        }

        AdminLog.KeyRevoked(logger, result.Value.Id, result.Value.LookupId);
        await AuditAsync(context, AdminAuditTrail.KeyRevoked, keyId.ToString()).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    public async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> RotateAsync(string id, HttpContext context, string getKeyEndpoint)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<RotateApiKeyRequest>(context, adminOptions.Value.MaxRequestBodyBytes, allowEmpty: true)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        var maxGrace = adminOptions.Value.MaxRotationGracePeriod;
        var graceSeconds = request?.GracePeriodSeconds ?? 0;
        if (graceSeconds < 0 || graceSeconds > maxGrace.TotalSeconds)
        {
            return Invalid("grace_period_seconds", $"grace_period_seconds must be between 0 and {(long)maxGrace.TotalSeconds}.");
        }

        if (!AdminInput.TryParseId(id, out var keyId))
        {
            return AdminInput.NotFound("API key");
        }

        var result = await manager.RotateAsync(keyId, TimeSpan.FromSeconds(graceSeconds), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return result.Error == ApiKeyError.Invalid ? TypedResults.ValidationProblem(result.Errors) : Problem(result);
        }

        var record = result.Value.Record;
        await AuditAsync(context, AdminAuditTrail.KeyRotated, $"{keyId} -> {record.Id}").ConfigureAwait(false);
        return TypedResults.Created(KeyLocation(context, getKeyEndpoint, record.Id), CreatedApiKeyResponse.From(result.Value));
    }

    /// <summary>
    /// Writes the audit entry of a change that is already stored. If the audit store fails, the change stands (it cannot
    /// be undone, and a full key in the response would otherwise be lost): the failure is logged, the response is sent.
    /// </summary>
    private async Task AuditAsync(HttpContext context, string action, string target)
    {
#pragma warning disable CA1031 // Whatever the audit store throws, the stored change and its one-time key must reach the caller.
        try
        {
            await audit.WriteAsync(context, action, actor: null, target: target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AdminLog.AuditWriteFailed(logger, action, target, ex);
        }
#pragma warning restore CA1031
    }

    /// <summary>Reads <c>rate_limit</c> and <c>quota</c>; a 400 naming each invalid one, before anything is written.</summary>
    private static bool TryReadLimits(
        RateLimitSettings? rateLimitContract, QuotaSettings? quotaContract, out ApiKeyRateLimit? rateLimit, out ApiKeyQuota? quota, out ValidationProblem invalid)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AdminKeyLimits.TryRead(rateLimitContract, errors, out rateLimit);
        AdminKeyLimits.TryRead(quotaContract, errors, out quota);
        invalid = TypedResults.ValidationProblem(errors);
        return errors.Count == 0;
    }

    /// <summary>The key's metadata with its usage of the limits in force, read without counting anything.</summary>
    private async Task<ApiKeyResponse> WithUsageAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        var usage = await AdminKeyLimits.ReadUsageAsync(key, limiter, limitOptions.CurrentValue, clock.UtcNow, cancellationToken).ConfigureAwait(false);
        return ApiKeyResponse.From(key, usage);
    }

    private async Task<List<ApiKeyResponse>> WithUsageAsync(IReadOnlyList<ApiKeyRecord> keys, CancellationToken cancellationToken)
    {
        var responses = new List<ApiKeyResponse>(keys.Count);
        foreach (var key in keys)
        {
            responses.Add(await WithUsageAsync(key, cancellationToken).ConfigureAwait(false));
        }

        return responses;
    }

    /// <summary>The key's URL from the final route of <c>GET /keys/{id}</c>, group prefixes and path base included.</summary>
    private string KeyLocation(HttpContext context, string getKeyEndpoint, Guid id) =>
        links.GetPathByRouteValues(context, getKeyEndpoint, new { id = id.ToString() })
        ?? throw new InvalidOperationException("The GET /keys/{id} endpoint is not mapped.");

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>404 or 409 for a failure that is not a validation one.</summary>
    private static ProblemHttpResult Problem<T>(ApiKeyResult<T> result)
        where T : class =>
        result.Error == ApiKeyError.NotFound ? AdminInput.NotFound("API key") : AdminInput.Conflict(result.Detail ?? "Conflict.");
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// The <c>/keys</c> routes over <see cref="IApiKeyManager"/>: read the request, check what the caller may grant or manage
/// (<see cref="AdminKeyPermissions"/>), call the manager with the caller as the audit actor (the manager writes the entry,
/// with the change), map the result (<see cref="AdminResults"/>). The rules on keys live in the manager.
/// </summary>
internal sealed class AdminKeyService(
    IApiKeyManager manager,
    AdminKeyUsage responses,
    LinkGenerator links,
    IOptions<ApiKeyOptions> keyOptions,
    IOptions<AdminOptions> adminOptions,
    TimeProvider clock)
{
    public async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext context, string getKeyEndpoint)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<CreateApiKeyRequest>(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var caller = AdminCaller.From(context.User);
        var scopes = request!.Scopes ?? (IEnumerable<string?>)keyOptions.Value.DefaultScopes;
        if (AdminKeyPermissions.RefuseGrant(caller, scopes) is { } refused)
        {
            return AdminResults.Forbidden(refused);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var create = request.ToManagerRequest(request.Owner ?? TruncateOwner(caller.OwnerOfNewKeys), ActorOf(caller, context), errors);
        AdminKeyPermissions.Check(scopes, request.ExpiresAt, clock.GetUtcNow(), errors);
        if (errors.Count > 0)
        {
            return AdminResults.Invalid(errors);
        }

        var result = await manager.CreateAsync(create, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result);
        }

        var record = result.Value.Record;
        return TypedResults.Created(KeyLocation(context, getKeyEndpoint, record.Id), CreatedApiKeyResponse.From(result.Value, clock.GetUtcNow()));
    }

    public async Task<Results<Ok<PagedResponse<ApiKeyResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AdminInput.TryReadPage(context.Request, out var page, out var pageSize, errors);
        var query = context.Request.Query;
        ApiKeyState? state = null;
        if (query["state"] is { Count: > 0 } rawState)
        {
            if (!Enum.TryParse<ApiKeyState>(rawState.ToString(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)
                || !char.IsAsciiLetter(rawState.ToString()[0]))
            {
                errors["state"] = ["state must be active, revoked or expired."];
            }

            state = parsed;
        }

        if (errors.Count > 0)
        {
            return AdminResults.Invalid(errors);
        }

        var owner = query["owner"] is { Count: > 0 } rawOwner ? rawOwner.ToString() : null;
        var result = await manager.ListAsync(new ApiKeyListRequest { Page = page, PageSize = pageSize, Owner = owner, State = state }, context.RequestAborted)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result);
        }

        return TypedResults.Ok(new PagedResponse<ApiKeyResponse>
        {
            Items = await responses.ToResponsesAsync(result.Value.Items, context.RequestAborted).ConfigureAwait(false),
            Page = result.Value.Page,
            PageSize = result.Value.PageSize,
            Total = result.Value.Total,
        });
    }

    public async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext context)
    {
        if (!AdminInput.TryParseId(id, out var keyId))
        {
            return AdminResults.NotFound("API key");
        }

        var result = await manager.GetAsync(keyId, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result);
        }

        var response = await responses.ToResponseAsync(result.Value, context.RequestAborted).ConfigureAwait(false);
        response.RotationWatch = await AdminRotationWatch.ReadAsync(context, result.Value).ConfigureAwait(false);
        return TypedResults.Ok(response);
    }

    public async Task<Results<Ok<ApiKeyResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, HttpContext context)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<UpdateApiKeyRequest>(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var caller = AdminCaller.From(context.User);
        if (!AdminInput.TryParseId(id, out var keyId) || await FindAsync(keyId, context.RequestAborted).ConfigureAwait(false) is not { } current)
        {
            return AdminResults.NotFound("API key");
        }

        if ((AdminKeyPermissions.RefuseManage(caller, current) ?? AdminKeyPermissions.RefuseGrant(caller, request!.Scopes)) is { } refused)
        {
            return AdminResults.Forbidden(refused);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var update = request!.ToManagerRequest(ActorOf(caller, context), errors);
        if (request.Scopes is not null || request.ExpiresAt is not null)
        {
            AdminKeyPermissions.Check(request.Scopes ?? [.. current.Scopes], request.ExpiresAt ?? current.ExpiresAt, clock.GetUtcNow(), errors);
        }

        if (errors.Count > 0)
        {
            return AdminResults.Invalid(errors);
        }

        var result = await manager.UpdateAsync(keyId, update, context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result);
        }

        return TypedResults.Ok(await responses.ToResponseAsync(result.Value, CancellationToken.None).ConfigureAwait(false));
    }

    /// <summary>Clears the key's used rate limit and quota (its lineage's), audited by the manager; answers the key with its usage now.</summary>
    public async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> ResetLimitsAsync(string id, HttpContext context)
    {
        var caller = AdminCaller.From(context.User);
        if (!AdminInput.TryParseId(id, out var keyId) || await FindAsync(keyId, context.RequestAborted).ConfigureAwait(false) is not { } current)
        {
            return AdminResults.NotFound("API key");
        }

        if (AdminKeyPermissions.RefuseManage(caller, current) is { } refused)
        {
            return AdminResults.Forbidden(refused);
        }

        var result = await manager.ResetLimitsAsync(keyId, ActorOf(caller, context), context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result);
        }

        return TypedResults.Ok(await responses.ToResponseAsync(result.Value, CancellationToken.None).ConfigureAwait(false));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context)
    {
        var caller = AdminCaller.From(context.User);
        if (!AdminInput.TryParseId(id, out var keyId)
            || await FindAsync(keyId, context.RequestAborted).ConfigureAwait(false) is not { } current)
        {
            return AdminResults.NotFound("API key");
        }

        if (AdminKeyPermissions.RefuseManage(caller, current) is { } refused)
        {
            return AdminResults.Forbidden(refused);
        }

        var result = await manager.RevokeAsync(keyId, ActorOf(caller, context), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.NoContent() : AdminResults.Problem(result);
    }

    public async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> RotateAsync(string id, HttpContext context, string getKeyEndpoint)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<RotateApiKeyRequest>(context, allowEmpty: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var maxGrace = adminOptions.Value.Endpoints.MaxRotationGracePeriod;
        var graceSeconds = request?.GracePeriodSeconds ?? 0;
        if (graceSeconds < 0 || graceSeconds > maxGrace.TotalSeconds)
        {
            return AdminResults.Invalid("grace_period_seconds", $"grace_period_seconds must be between 0 and {(long)maxGrace.TotalSeconds}.");
        }

        // Rotation hands the caller a new key with the old one's permissions: the caller must hold them.
        var caller = AdminCaller.From(context.User);
        if (!AdminInput.TryParseId(id, out var keyId) || await FindAsync(keyId, context.RequestAborted).ConfigureAwait(false) is not { } current)
        {
            return AdminResults.NotFound("API key");
        }

        if (AdminKeyPermissions.RefuseManage(caller, current) is { } refused)
        {
            return AdminResults.Forbidden(refused);
        }

        var result = await manager.RotateAsync(keyId, TimeSpan.FromSeconds(graceSeconds), ActorOf(caller, context), context.RequestAborted)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return AdminResults.Problem(result);
        }

        var record = result.Value.Record;
        return TypedResults.Created(KeyLocation(context, getKeyEndpoint, record.Id), CreatedApiKeyResponse.From(result.Value, clock.GetUtcNow()));
    }

    /// <summary>The key, read to check what the caller may do to it; <see langword="null"/> when it does not exist.</summary>
    private async Task<ApiKeyRecord?> FindAsync(Guid keyId, CancellationToken cancellationToken)
    {
        var found = await manager.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
        return found.Succeeded ? found.Value : null;
    }

    /// <summary>The caller as the manager audits it: the admin or admin key, and the request's client address.</summary>
    private static AuditActor ActorOf(AdminCaller caller, HttpContext context) =>
        (caller.Actor ?? AuditActor.System) with { ClientAddress = context.Connection.RemoteIpAddress?.ToString() };

    /// <summary>The owner of an admin-made key without an owner in the request is its maker, cut to the longest owner kept.</summary>
    private static string? TruncateOwner(string? owner) =>
        owner is { Length: > ApiKeyRecord.MaxOwnerLength } ? owner[..ApiKeyRecord.MaxOwnerLength] : owner;

    /// <summary>The key's URL from the final route of <c>GET /keys/{id}</c>, group prefixes and path base included.</summary>
    private string KeyLocation(HttpContext context, string getKeyEndpoint, Guid id) =>
        links.GetPathByRouteValues(context, getKeyEndpoint, new { id = id.ToString() })
        ?? throw new InvalidOperationException("The GET /keys/{id} endpoint is not mapped.");
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin;

/// <summary>Creates, revokes and rotates keys: validation first, one store write, then cache eviction and audit.</summary>
internal sealed class AdminKeyService(
    IApiKeyStore store,
    ApiKeyFormat format,
    ApiKeySecretHasher secretHasher,
    IApiKeyChangeNotifier notifier,
    IOptions<ApiKeyOptions> keyOptions,
    IOptions<AdminOptions> adminOptions,
    AdminClock clock,
    AdminAuditTrail audit,
    ILogger<AdminEndpoints> logger)
{
    public async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext context, string keysPath)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<CreateApiKeyRequest>(context, adminOptions.Value.MaxRequestBodyBytes, allowEmpty: false)
            .ConfigureAwait(false);
        if (error is not null)
        {
            return (ProblemHttpResult)error;
        }

        var now = clock.UtcNow;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = request!.Name ?? "";
        if (name.Length is 0 or > ApiKeyRecord.MaxNameLength || string.IsNullOrWhiteSpace(name) || AdminInput.HasHiddenCharacters(name))
        {
            errors["name"] = [$"name must be 1 to {ApiKeyRecord.MaxNameLength} characters, not blank, without control characters."];
        }

        List<string> scopes = [];
        if (request.Scopes is null)
        {
            scopes.AddRange(keyOptions.Value.DefaultScopes);
        }
        else if (request.Scopes.Count > ApiKeyRecord.MaxScopes)
        {
            errors["scopes"] = [$"At most {ApiKeyRecord.MaxScopes} scopes."];
        }
        else
        {
            foreach (var scope in request.Scopes)
            {
                if (string.IsNullOrEmpty(scope) || scope.Length > ApiKeyRecord.MaxScopeLength || scope.Any(char.IsWhiteSpace) || AdminInput.HasHiddenCharacters(scope))
                {
                    errors["scopes"] = [$"Each scope must be 1 to {ApiKeyRecord.MaxScopeLength} characters, without white space or control characters."];
                    break;
                }

                if (!scopes.Contains(scope, StringComparer.Ordinal))
                {
                    scopes.Add(scope);
                }
            }
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors["expires_at"] = ["expires_at must be in the future."];
        }

        AdminKeyLimits.TryRead(request.RateLimit, errors, out var rateLimit);
        AdminKeyLimits.TryRead(request.Quota, errors, out var quota);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (added, key) = await AddAsync(name, scopes, request.ExpiresAt, context.User.FindFirst("name")?.Value, now, replacing: null, (rateLimit, quota), context.RequestAborted)
            .ConfigureAwait(false);
        var record = added!;
        AdminLog.KeyCreated(logger, record.Id, record.LookupId);
        await audit.WriteAsync(context, AdminAuditTrail.KeyCreated, actor: null, target: record.Id.ToString()).ConfigureAwait(false);
        return TypedResults.Created($"{context.Request.PathBase}{keysPath}/{record.Id}", Created(record, key));
    }

    public async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context)
    {
        var ct = context.RequestAborted;
        if (!AdminInput.TryParseId(id, out var keyId) || await store.FindByIdAsync(keyId, ct).ConfigureAwait(false) is not { } key
            || !await store.RevokeAsync(keyId, clock.UtcNow, ct).ConfigureAwait(false))
        {
            return AdminInput.NotFound("API key");
        }

        // After the write, not cancellable: a cached verification must not outlive the revocation.
        await notifier.KeyChangedAsync(key.LookupId, CancellationToken.None).ConfigureAwait(false);
        AdminLog.KeyRevoked(logger, key.Id, key.LookupId);
        await audit.WriteAsync(context, AdminAuditTrail.KeyRevoked, actor: null, target: key.Id.ToString()).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    public async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> RotateAsync(string id, HttpContext context, string keysPath)
    {
        var ct = context.RequestAborted;
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
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["grace_period_seconds"] = [$"grace_period_seconds must be between 0 and {(long)maxGrace.TotalSeconds}."],
            });
        }

        if (!AdminInput.TryParseId(id, out var keyId) || await store.FindByIdAsync(keyId, ct).ConfigureAwait(false) is not { } old)
        {
            return AdminInput.NotFound("API key");
        }

        var now = clock.UtcNow;
        if (!old.IsActiveAt(now) || old.ReplacedByKeyId is not null)
        {
            return AdminInput.Conflict("Only an active key that has not been rotated yet can be rotated.");
        }

        // The old key lives on for the grace period, never past its own expiry.
        var revokedAt = now + TimeSpan.FromSeconds(graceSeconds);
        if (old.ExpiresAt is { } oldExpiry && oldExpiry < revokedAt)
        {
            revokedAt = oldExpiry;
        }

        var (record, key) = await AddAsync(old.Name, old.Scopes, old.ExpiresAt, old.Owner, now, replacing: (old.Id, revokedAt), (old.RateLimit, old.Quota), ct)
            .ConfigureAwait(false);
        if (record is null)
        {
            return AdminInput.NotFound("API key");
        }

        await notifier.KeyChangedAsync(old.LookupId, CancellationToken.None).ConfigureAwait(false);
        AdminLog.KeyRotated(logger, old.Id, old.LookupId, record.Id, revokedAt);
        await audit.WriteAsync(context, AdminAuditTrail.KeyRotated, actor: null, target: $"{old.Id} -> {record.Id}").ConfigureAwait(false);
        return TypedResults.Created($"{context.Request.PathBase}{keysPath}/{record.Id}", Created(record, key));
    }

    /// <summary>Mints a key and stores only its hash; retries on the (astronomically unlikely) lookup-id collision.</summary>
    private async Task<(ApiKeyRecord? Record, string Key)> AddAsync(
        string name, List<string> scopes, DateTimeOffset? expiresAt, string? owner, DateTimeOffset now, (Guid Id, DateTimeOffset RevokedAt)? replacing,
        (RateLimiting.ApiKeyRateLimit? RateLimit, RateLimiting.ApiKeyQuota? Quota) limits, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var generated = format.Generate();
            var record = new ApiKeyRecord
            {
                Id = Guid.CreateVersion7(now),
                LookupId = generated.LookupId,
                SecretHash = secretHasher.HashKey(format, generated.Key),
                Name = name,
                Owner = owner is { Length: > ApiKeyRecord.MaxOwnerLength } ? owner[..ApiKeyRecord.MaxOwnerLength] : owner,
                Scopes = [.. scopes],
                CreatedAt = now,
                ExpiresAt = expiresAt,
                RateLimit = limits.RateLimit,
                Quota = limits.Quota,
            };
            try
            {
                if (replacing is { } r)
                {
                    if (!await store.RotateAsync(r.Id, r.RevokedAt, record, ct).ConfigureAwait(false))
                    {
                        return (null, "");
                    }
                }
                else
                {
                    await store.CreateAsync(record, ct).ConfigureAwait(false);
                }

                return (record, generated.Key);
            }
            catch (InvalidOperationException) when (attempt < 2)
            {
                // Lookup-id collision: mint another key.
            }
        }
    }

    private static CreatedApiKeyResponse Created(ApiKeyRecord record, string key) => new()
    {
        Id = record.Id,
        Key = key,
        LookupId = record.LookupId,
        Name = record.Name,
        Scopes = record.Scopes,
        CreatedAt = record.CreatedAt,
        ExpiresAt = record.ExpiresAt,
        RateLimit = RateLimitSettings.From(record.RateLimit),
        Quota = QuotaSettings.From(record.Quota),
    };
}

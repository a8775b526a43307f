using Microsoft.Extensions.Logging;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>
/// <see cref="IApiKeyOwnerLimits"/>: validates, writes the owner's limits, invalidates this node's cache of them, and
/// audits the change with its actor. The limits are not in the key store, so (as for a limits reset) the audit entry
/// follows the write instead of sharing a transaction with it.
/// </summary>
internal sealed class ApiKeyOwnerLimitManager(
    IApiKeyOwnerLimitStore ownerStore,
    ApiKeyOwnerLimitCache cache,
    IApiKeyStore keys,
    IApiKeyLimiter limiter,
    TimeProvider time,
    ILogger<ApiKeyOwnerLimitManager> logger,
    IAdminAuditStore? auditStore = null) : IApiKeyOwnerLimits
{
    private readonly IApiKeyJournalStore? _journaled = keys is InMemoryApiKeyStore { Journals: false } ? null : keys as IApiKeyJournalStore;

    public async Task<ApiKeyResult<ApiKeyOwnerBudgetInfo>> GetAsync(string owner, CancellationToken cancellationToken = default)
    {
        if (CheckOwner(owner) is { } invalid)
        {
            return invalid;
        }

        var limits = await ownerStore.GetAsync(owner, cancellationToken).ConfigureAwait(false) ?? new ApiKeyOwnerLimits(null, null);
        return ApiKeyResult.Success(await InfoAsync(owner, limits, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ApiKeyResult<ApiKeyOwnerBudgetInfo>> UpdateAsync(
        string owner, ApiKeyOwnerLimitsUpdate update, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (CheckOwner(owner) is { } invalid)
        {
            return invalid;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ApiKeyRules.CheckLimitChange(new ApiKeyUpdateRequest
        {
            RateLimit = update.RateLimit, RemoveRateLimit = update.RemoveRateLimit, Quota = update.Quota, RemoveQuota = update.RemoveQuota,
        }, errors);
        if (errors.Count > 0)
        {
            return ApiKeyResult.Invalid<ApiKeyOwnerBudgetInfo>(errors);
        }

        var current = await ownerStore.GetAsync(owner, cancellationToken).ConfigureAwait(false);
        var limits = new ApiKeyOwnerLimits(
            update.RemoveRateLimit ? null : update.RateLimit ?? current?.RateLimit,
            update.RemoveQuota ? null : update.Quota ?? current?.Quota);
        await ownerStore.SetAsync(owner, limits.IsEmpty ? null : limits, cancellationToken).ConfigureAwait(false);
        cache.Invalidate(owner);
        ApiKeyLimitLog.OwnerLimitsChanged(logger, limits.RateLimit is not null, limits.Quota is not null);
        await AuditAsync(owner, actor).ConfigureAwait(false);
        return ApiKeyResult.Success(await InfoAsync(owner, limits, cancellationToken).ConfigureAwait(false));
    }

    private async Task<ApiKeyOwnerBudgetInfo> InfoAsync(string owner, ApiKeyOwnerLimits limits, CancellationToken cancellationToken)
    {
        var usage = limits.IsEmpty ? default : await limiter.GetStatusAsync(
            ApiKeyOwnerBudget.PartitionOf(owner), limits.RateLimit, limits.Quota, cancellationToken).ConfigureAwait(false);
        var count = await keys.CountAsync(
            new ApiKeyFilter { Owner = owner, State = ApiKeyState.Active, AsOf = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        return new ApiKeyOwnerBudgetInfo(owner, limits, usage, count);
    }

    private static ApiKeyResult<ApiKeyOwnerBudgetInfo>? CheckOwner(string? owner)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ApiKeyRules.CheckOwner(owner ?? string.Empty, errors);
        return errors.Count > 0 ? ApiKeyResult.Invalid<ApiKeyOwnerBudgetInfo>(errors) : null;
    }

    private async ValueTask AuditAsync(string owner, AuditActor actor)
    {
        var now = time.GetUtcNow();
        var entry = new AdminAuditEntry
        {
            Id = Guid.CreateVersion7(now),
            OccurredAt = now,
            Action = ApiKeyAuditActions.OwnerLimitsChanged,
            Actor = Truncate(actor.Name),
            ActorKind = actor.KindName,
            Target = Truncate("owner:" + owner),
            ClientAddress = Truncate(actor.ClientAddress),
            Owner = Truncate(owner),
        };

        // The change stands even if the audit cannot be written (it is already made, as for a limits reset).
        if (_journaled is { } journaled)
        {
            await journaled.AppendAsync(new ApiKeyChangeJournal { Audit = entry }, CancellationToken.None).ConfigureAwait(false);
        }
        else if (auditStore is not null)
        {
            await auditStore.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string? Truncate(string? value) =>
        value is { Length: > AdminAuditEntry.MaxTextLength } ? value[..AdminAuditEntry.MaxTextLength] : value;
}

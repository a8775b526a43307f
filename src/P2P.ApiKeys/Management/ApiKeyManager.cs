using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>
/// The rules over <see cref="IApiKeyStore"/>: validate, read, check the state the change starts from, then one
/// conditional store write (applied only if the key is still as it was read), then tell every node. Each change is
/// a span of the <c>P2P.ApiKeys</c> activity source when someone listens. The conditional write carries the change's
/// journal (its one audit entry) when the store is an <see cref="IApiKeyJournalStore"/>: both are stored, or neither.
/// </summary>
internal sealed class ApiKeyManager(
    IApiKeyStore store,
    ApiKeyFormat format,
    ApiKeySecretHasher secretHasher,
    IApiKeyChangeNotifier notifier,
    IOptions<ApiKeyOptions> options,
    TimeProvider timeProvider,
    ILogger<ApiKeyManager> logger,
    IApiKeyLimiter limiter,
    IAdminAuditStore? auditStore = null) : IApiKeyManager
{
    /// <summary>Tries to mint a key whose lookup id is not taken yet (a collision is astronomically unlikely).</summary>
    private const int MintAttempts = 3;

    private const string ChangedConcurrently = "The API key was changed by another request at the same time; read it again and retry.";

    private const string NoSuchKey = "No API key matches.";

    private readonly TimeProvider _clock = timeProvider;

    /// <summary>The store as one that writes journals with changes; <see langword="null"/>: append them after the change.</summary>
    private readonly IApiKeyJournalStore? _journaled = store is InMemoryApiKeyStore { Journals: false } ? null : store as IApiKeyJournalStore;
    private readonly ApiKeyRules _rules = new(options.Value.KnownScopes.ToArray());

    public async Task<ApiKeyResult<CreatedApiKey>> CreateAsync(ApiKeyCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = ApiKeyActivitySource.Instance.StartActivity(ApiKeyActivitySource.Create);
        try
        {
            var result = await CreateCoreAsync(request, cancellationToken).ConfigureAwait(false);
            ApiKeyChangeActivity.Complete(activity, result, result.Value?.Record);
            return result;
        }
        catch (Exception ex) when (ApiKeyChangeActivity.Fail(activity, ex))
        {
            throw; // never reached: Fail returns false
        }
    }

    public Task<ApiKeyResult<ApiKeyRecord>> UpdateAsync(Guid id, ApiKeyUpdateRequest request, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, request, leaked: false, cancellationToken);

    private async Task<ApiKeyResult<ApiKeyRecord>> UpdateAsync(Guid id, ApiKeyUpdateRequest request, bool leaked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = ApiKeyChangeActivity.Start(ApiKeyActivitySource.Update, id);
        try
        {
            var result = await UpdateCoreAsync(id, request, leaked, cancellationToken).ConfigureAwait(false);
            ApiKeyChangeActivity.Complete(activity, result, result.Value);
            return result;
        }
        catch (Exception ex) when (ApiKeyChangeActivity.Fail(activity, ex))
        {
            throw;
        }
    }

    public Task<ApiKeyResult<ApiKeyRecord>> RevokeAsync(Guid id, CancellationToken cancellationToken = default) =>
        RevokeAsync(id, AuditActor.System, cancellationToken);

    public Task<ApiKeyResult<ApiKeyRecord>> RevokeAsync(Guid id, AuditActor actor, CancellationToken cancellationToken) =>
        RevokeAsync(id, actor, leaked: false, cancellationToken);

    public async Task<ApiKeyResult<ApiKeyRecord>> ReportLeakAsync(Guid id, ApiKeyLeakResponse response, AuditActor actor, CancellationToken cancellationToken = default)
    {
        switch (response)
        {
            case ApiKeyLeakResponse.Revoke:
                return await RevokeAsync(id, actor, leaked: true, cancellationToken).ConfigureAwait(false);
            case ApiKeyLeakResponse.Disable:
                return await UpdateAsync(id, new ApiKeyUpdateRequest { Enabled = false, Actor = actor }, leaked: true, cancellationToken).ConfigureAwait(false);
            case ApiKeyLeakResponse.Report:
                if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } key)
                {
                    return ApiKeyResult<ApiKeyRecord>.NotFound();
                }

                await AppendAsync(Journal(ApiKeyAuditActions.LeakReported, key, actor, leaked: true), cancellationToken).ConfigureAwait(false);
                return ApiKeyResult<ApiKeyRecord>.Success(key);
            default:
                throw new ArgumentOutOfRangeException(nameof(response));
        }
    }

    private async Task<ApiKeyResult<ApiKeyRecord>> RevokeAsync(Guid id, AuditActor actor, bool leaked, CancellationToken cancellationToken)
    {
        using var activity = ApiKeyChangeActivity.Start(ApiKeyActivitySource.Revoke, id);
        try
        {
            var result = await RevokeCoreAsync(id, actor, leaked, cancellationToken).ConfigureAwait(false);
            ApiKeyChangeActivity.Complete(activity, result, result.Value);
            return result;
        }
        catch (Exception ex) when (ApiKeyChangeActivity.Fail(activity, ex))
        {
            throw;
        }
    }

    public Task<ApiKeyResult<CreatedApiKey>> RotateAsync(Guid id, TimeSpan gracePeriod, CancellationToken cancellationToken = default) =>
        RotateAsync(id, gracePeriod, AuditActor.System, cancellationToken);

    public async Task<ApiKeyResult<CreatedApiKey>> RotateAsync(Guid id, TimeSpan gracePeriod, AuditActor actor, CancellationToken cancellationToken)
    {
        using var activity = ApiKeyChangeActivity.Start(ApiKeyActivitySource.Rotate, id);
        try
        {
            var result = await RotateCoreAsync(id, gracePeriod, actor, cancellationToken).ConfigureAwait(false);
            ApiKeyChangeActivity.Complete(activity, result, record: null);
            if (activity is not null && result.Value is { } created)
            {
                activity.SetTag(ApiKeyActivitySource.ReplacementIdAttribute, created.Record.Id.ToString());
            }

            return result;
        }
        catch (Exception ex) when (ApiKeyChangeActivity.Fail(activity, ex))
        {
            throw;
        }
    }

    private async Task<ApiKeyResult<CreatedApiKey>> CreateCoreAsync(ApiKeyCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ApiKeyRules.CheckName(request.Name, errors);
        ApiKeyRules.CheckOwner(request.Owner, errors);
        var scopes = _rules.CheckScopes(request.Scopes ?? (IEnumerable<string>)options.Value.DefaultScopes, errors);
        ApiKeyRules.CheckExpiry(request.ExpiresAt, now, errors);
        var metadata = ApiKeyRules.CheckMetadata(request.Metadata, errors);
        if (errors.Count > 0)
        {
            return ApiKeyResult<CreatedApiKey>.Invalid(errors);
        }

        for (var attempt = 1; ; attempt++)
        {
            var (record, key) = Mint(now);
            record.Name = request.Name;
            record.Owner = request.Owner;
            record.Scopes = scopes;
            record.Metadata = metadata;
            record.Enabled = request.Enabled;
            record.ExpiresAt = request.ExpiresAt;
            record.RateLimit = request.RateLimit;
            record.Quota = request.Quota;
            var result = await CreateInStoreAsync(record, Journal(ApiKeyAuditActions.Created, record, request.Actor ?? AuditActor.System), cancellationToken)
                .ConfigureAwait(false);
            if (result == ApiKeyStoreResult.Success)
            {
                ApiKeyManagerLog.KeyCreated(logger, record.Id, record.LookupId);
                return ApiKeyResult<CreatedApiKey>.Success(new CreatedApiKey(record.Clone(), key));
            }

            if (attempt == MintAttempts)
            {
                return ApiKeyResult<CreatedApiKey>.Conflict("Could not mint a key with an unused lookup id; retry.");
            }
        }
    }

    public Task<ApiKeyResult<ApiKeyRecord>> ResetLimitsAsync(Guid id, CancellationToken cancellationToken = default) =>
        ResetLimitsAsync(id, AuditActor.System, cancellationToken);

    public async Task<ApiKeyResult<ApiKeyRecord>> ResetLimitsAsync(Guid id, AuditActor actor, CancellationToken cancellationToken)
    {
        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } key)
        {
            return ApiKeyResult<ApiKeyRecord>.NotFound();
        }

        // The budget is the lineage's: resetting one key resets what its rotations share. The counts are not in the key
        // store, so the audit entry follows the reset (as a leak report's does) instead of sharing a transaction with it.
        await limiter.ResetAsync(key.LineageId, cancellationToken).ConfigureAwait(false);
        ApiKeyLimitLog.LimitsReset(logger, key.Id, key.LineageId);
        await AppendAsync(Journal(ApiKeyAuditActions.LimitsReset, key, actor), CancellationToken.None).ConfigureAwait(false);
        return ApiKeyResult<ApiKeyRecord>.Success(key);
    }

    public async Task<ApiKeyResult<ApiKeyRecord>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } key
            ? ApiKeyResult<ApiKeyRecord>.Success(key)
            : ApiKeyResult<ApiKeyRecord>.NotFound();

    public async Task<ApiKeyResult<ApiKeyRecord>> FindByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (format.TryParse(key, out var parsed) != ApiKeyParseStatus.Valid)
        {
            return ApiKeyResult<ApiKeyRecord>.NotFound(NoSuchKey);
        }

        // Both taken from the parsed spans before the first await (they point into the key).
        var lookupId = parsed.LookupId.ToString();
        var presentedHash = secretHasher.Hash(parsed.Secret);
        var record = await store.FindByLookupIdAsync(lookupId, cancellationToken).ConfigureAwait(false);

        // A store with a case-insensitive collation could return another key: lookup ids are case-sensitive.
        return record is not null
            && string.Equals(record.LookupId, lookupId, StringComparison.Ordinal)
            && record.SecretHash.Length == ApiKeySecretHasher.HashSize
            && CryptographicOperations.FixedTimeEquals(presentedHash, record.SecretHash)
                ? ApiKeyResult<ApiKeyRecord>.Success(record)
                : ApiKeyResult<ApiKeyRecord>.NotFound(NoSuchKey);
    }

    public async Task<ApiKeyResult<ApiKeyPage>> ListAsync(ApiKeyListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var pageSize = Paging.Check(request.Page, request.PageSize, options.Value.MaxPageSize, errors);
        ApiKeyRules.CheckOwner(request.Owner, errors);
        if (request.State is { } state && !Enum.IsDefined(state))
        {
            errors["state"] = ["state must be active, revoked or expired."];
        }

        if (errors.Count > 0)
        {
            return ApiKeyResult<ApiKeyPage>.Invalid(errors);
        }

        var filter = new ApiKeyFilter { Owner = request.Owner, State = request.State, AsOf = _clock.GetUtcNow() };
        var items = new List<ApiKeyRecord>(pageSize);
        await foreach (var key in store.ListAsync(filter, Paging.Skip(request.Page, pageSize), pageSize, cancellationToken).ConfigureAwait(false))
        {
            items.Add(key);
        }

        var total = await store.CountAsync(filter, cancellationToken).ConfigureAwait(false);
        return ApiKeyResult<ApiKeyPage>.Success(new ApiKeyPage(items, total, request.Page, pageSize));
    }

    private async Task<ApiKeyResult<ApiKeyRecord>> UpdateCoreAsync(Guid id, ApiKeyUpdateRequest request, bool leaked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Name is not null)
        {
            ApiKeyRules.CheckName(request.Name, errors);
        }

        var scopes = request.Scopes is null ? null : _rules.CheckScopes(request.Scopes, errors);
        ApiKeyRules.CheckExpiry(request.ExpiresAt, now, errors);
        var metadata = request.Metadata is null ? null : ApiKeyRules.CheckMetadata(request.Metadata, errors);
        ApiKeyRules.CheckLimitChange(request, errors);
        if (errors.Count > 0)
        {
            return ApiKeyResult<ApiKeyRecord>.Invalid(errors);
        }

        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } key)
        {
            return ApiKeyResult<ApiKeyRecord>.NotFound();
        }

        now = _clock.GetUtcNow(); // the state is judged at a time after the read, as in RevokeAsync
        if (key.IsRevokedAt(now) || key.IsExpiredAt(now) || key.ReplacedByKeyId is not null)
        {
            return ApiKeyResult<ApiKeyRecord>.Conflict("A revoked, expired or rotated API key cannot be changed.");
        }

        // A value equal to the current one changes nothing: re-sending the current enabled flag (or name …) is not a
        // conflict, and a request that changes nothing writes nothing and tells no node.
        var changed = key.Clone();
        changed.Name = request.Name ?? key.Name;
        changed.Scopes = scopes ?? key.Scopes;
        changed.ExpiresAt = request.ExpiresAt ?? key.ExpiresAt;
        changed.Metadata = metadata ?? key.Metadata;
        changed.Enabled = request.Enabled ?? key.Enabled;
        changed.RateLimit = request.RemoveRateLimit ? null : request.RateLimit ?? key.RateLimit;
        changed.Quota = request.RemoveQuota ? null : request.Quota ?? key.Quota;
        if (SameMutableState(key, changed))
        {
            return ApiKeyResult<ApiKeyRecord>.Unchanged(key);
        }

        var action = changed.Enabled != key.Enabled
            ? changed.Enabled ? ApiKeyAuditActions.Enabled : ApiKeyAuditActions.Disabled
            : ApiKeyAuditActions.Updated;
        return await WriteAsync(changed, Journal(action, changed, request.Actor ?? AuditActor.System, leaked: leaked), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiKeyResult<ApiKeyRecord>> RevokeCoreAsync(Guid id, AuditActor actor, bool leaked, CancellationToken cancellationToken)
    {
        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } key)
        {
            return ApiKeyResult<ApiKeyRecord>.NotFound();
        }

        // The clock is read after the key: a time read before could precede a revocation that committed in between,
        // which would then look like a scheduled one and be "brought forward" by a second, parallel revoke.
        var now = _clock.GetUtcNow();

        // Revoke only once; a revocation scheduled by a rotation (grace period) may be brought forward.
        if (key.IsRevokedAt(now))
        {
            return ApiKeyResult<ApiKeyRecord>.Conflict("The API key is already revoked.");
        }

        key.RevokedAt = now;
        return await WriteAsync(key, Journal(ApiKeyAuditActions.Revoked, key, actor, leaked: leaked), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiKeyResult<CreatedApiKey>> RotateCoreAsync(Guid id, TimeSpan gracePeriod, AuditActor actor, CancellationToken cancellationToken)
    {
        if (gracePeriod < TimeSpan.Zero)
        {
            return ApiKeyResult<CreatedApiKey>.Invalid(new Dictionary<string, string[]>
            {
                [ApiKeyRules.GracePeriodField] = ["The grace period must not be negative."],
            });
        }

        if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is not { } old)
        {
            return ApiKeyResult<CreatedApiKey>.NotFound();
        }

        var now = _clock.GetUtcNow(); // after the read, as in RevokeAsync

        if (!old.IsActiveAt(now) || old.RevokedAt is not null || old.ReplacedByKeyId is not null)
        {
            return ApiKeyResult<CreatedApiKey>.Conflict("Only an active, enabled key that has not been rotated yet can be rotated.");
        }

        // The old key lives on for the grace period, never past its own expiry.
        var revokedAt = gracePeriod > DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + gracePeriod;
        if (old.ExpiresAt is { } oldExpiry && oldExpiry < revokedAt)
        {
            revokedAt = oldExpiry;
        }

        for (var attempt = 1; ; attempt++)
        {
            var (replacement, key) = Mint(now);
            // One lineage across rotations: the replacement draws from the same budgets and usage as the old key.
            replacement.LineageId = old.LineageId;
            replacement.Name = old.Name;
            replacement.Owner = old.Owner;
            replacement.Scopes = [.. old.Scopes];
            replacement.Metadata = new Dictionary<string, string>(old.Metadata, StringComparer.Ordinal);
            replacement.ExpiresAt = old.ExpiresAt;
            replacement.RateLimit = old.RateLimit;
            replacement.Quota = old.Quota;
            var changed = old.Clone();
            changed.RevokedAt = revokedAt;
            changed.ReplacedByKeyId = replacement.Id;
            var journal = Journal(ApiKeyAuditActions.Rotated, changed, actor, target: $"{old.Id} -> {replacement.Id}", replacedBy: replacement.Id);
            switch (await RotateInStoreAsync(changed, replacement, journal, cancellationToken).ConfigureAwait(false))
            {
                case ApiKeyStoreResult.Success:
                    // After the write, not cancellable: a cached verification must not outlive the change.
                    await notifier.KeyChangedAsync(old.LookupId, CancellationToken.None).ConfigureAwait(false);
                    ApiKeyManagerLog.KeyRotated(logger, old.Id, old.LookupId, replacement.Id, revokedAt);
                    return ApiKeyResult<CreatedApiKey>.Success(new CreatedApiKey(replacement.Clone(), key));
                case ApiKeyStoreResult.NotFound:
                    return ApiKeyResult<CreatedApiKey>.NotFound();
                case ApiKeyStoreResult.Duplicate when attempt < MintAttempts:
                    continue;
                case ApiKeyStoreResult.Duplicate:
                    return ApiKeyResult<CreatedApiKey>.Conflict("Could not mint a key with an unused lookup id; retry.");
                default:
                    return ApiKeyResult<CreatedApiKey>.Conflict(ChangedConcurrently);
            }
        }
    }

    private async Task<ApiKeyResult<ApiKeyRecord>> WriteAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        switch (await UpdateInStoreAsync(key, journal, cancellationToken).ConfigureAwait(false))
        {
            case ApiKeyStoreResult.Success:
                await notifier.KeyChangedAsync(key.LookupId, CancellationToken.None).ConfigureAwait(false);
                ApiKeyManagerLog.KeyUpdated(logger, key.Id, key.LookupId, key.Enabled, key.RevokedAt);
                return ApiKeyResult<ApiKeyRecord>.Success(key);
            case ApiKeyStoreResult.NotFound:
                return ApiKeyResult<ApiKeyRecord>.NotFound();
            default:
                return ApiKeyResult<ApiKeyRecord>.Conflict(ChangedConcurrently);
        }
    }

    /// <summary>
    /// The change's journal: its one audit entry and its events (the event of the change; for a leak also
    /// <c>api_key.leaked</c>), at the library clock's time, never a secret.
    /// </summary>
    private ApiKeyChangeJournal Journal(string action, ApiKeyRecord key, AuditActor actor, string? target = null, bool leaked = false, Guid? replacedBy = null)
    {
        var now = _clock.GetUtcNow();
        var data = ApiKeyEventPayload.Write(key, actor, replacedBy);
        var events = new List<ApiKeyEventRecord>(2);
        if (leaked)
        {
            events.Add(Event(ApiKeyEventTypes.Leaked, key.Id, data, now));
        }

        if (EventTypeOf(action) is { } type)
        {
            events.Add(Event(type, key.Id, data, now));
        }

        return new ApiKeyChangeJournal
        {
            Audit = new AdminAuditEntry
            {
                Id = Guid.CreateVersion7(now),
                OccurredAt = now,
                Action = action,
                Actor = Truncate(actor.Name),
                ActorKind = actor.KindName,
                Target = Truncate(target ?? key.Id.ToString()),
                ClientAddress = Truncate(actor.ClientAddress),
                KeyId = key.Id,
                Owner = Truncate(key.Owner),
            },
            Events = events,
        };
    }

    private static ApiKeyEventRecord Event(string type, Guid keyId, string data, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Type = type,
        OccurredAt = now,
        KeyId = keyId,
        Data = data,
        NextAttemptAt = now,
    };

    private static string? EventTypeOf(string action) => action switch
    {
        ApiKeyAuditActions.Created => ApiKeyEventTypes.Created,
        ApiKeyAuditActions.Updated => ApiKeyEventTypes.Updated,
        ApiKeyAuditActions.Enabled => ApiKeyEventTypes.Enabled,
        ApiKeyAuditActions.Disabled => ApiKeyEventTypes.Disabled,
        ApiKeyAuditActions.Revoked => ApiKeyEventTypes.Revoked,
        ApiKeyAuditActions.Rotated => ApiKeyEventTypes.Rotated,
        _ => null, // key.leak_reported: the leaked event is added by the caller's flag
    };

    private static string? Truncate(string? value) =>
        value is { Length: > AdminAuditEntry.MaxTextLength } ? value[..AdminAuditEntry.MaxTextLength] : value;

    private async ValueTask<ApiKeyStoreResult> CreateInStoreAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        if (_journaled is { } journaled)
        {
            return await journaled.CreateAsync(key, journal, cancellationToken).ConfigureAwait(false);
        }

        var result = await store.CreateAsync(key, cancellationToken).ConfigureAwait(false);
        await AppendAfterAsync(result, journal).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<ApiKeyStoreResult> UpdateInStoreAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        if (_journaled is { } journaled)
        {
            return await journaled.UpdateAsync(key, journal, cancellationToken).ConfigureAwait(false);
        }

        var result = await store.UpdateAsync(key, cancellationToken).ConfigureAwait(false);
        await AppendAfterAsync(result, journal).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<ApiKeyStoreResult> RotateInStoreAsync(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        if (_journaled is { } journaled)
        {
            return await journaled.RotateAsync(key, replacement, journal, cancellationToken).ConfigureAwait(false);
        }

        var result = await store.RotateAsync(key, replacement, cancellationToken).ConfigureAwait(false);
        await AppendAfterAsync(result, journal).ConfigureAwait(false);
        return result;
    }

    /// <summary>A journal with no change to a key (a leak reported).</summary>
    private async ValueTask AppendAsync(ApiKeyChangeJournal journal, CancellationToken cancellationToken)
    {
        if (_journaled is { } journaled)
        {
            await journaled.AppendAsync(journal, cancellationToken).ConfigureAwait(false);
        }
        else if (auditStore is not null)
        {
            await auditStore.AppendAsync(journal.Audit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A store that cannot write the journal with the change: the entry goes to the audit store right after a successful
    /// change. The change stands if that fails (it cannot be undone, and a full key in the result would be lost): logged.
    /// </summary>
    private async ValueTask AppendAfterAsync(ApiKeyStoreResult result, ApiKeyChangeJournal journal)
    {
        if (result != ApiKeyStoreResult.Success || auditStore is null)
        {
            return;
        }

#pragma warning disable CA1031 // Whatever the audit store throws, the stored change and its one-time key must reach the caller.
        try
        {
            await auditStore.AppendAsync(journal.Audit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ApiKeyJournalLog.AuditWriteFailed(logger, journal.Audit.Action, journal.Audit.KeyId ?? Guid.Empty, ex);
        }
#pragma warning restore CA1031
    }

    private static bool SameMutableState(ApiKeyRecord a, ApiKeyRecord b) =>
        string.Equals(a.Name, b.Name, StringComparison.Ordinal)
        && a.Scopes.SequenceEqual(b.Scopes, StringComparer.Ordinal)
        && a.ExpiresAt == b.ExpiresAt
        && a.Metadata.Count == b.Metadata.Count
        && a.Metadata.All(p => b.Metadata.TryGetValue(p.Key, out var v) && string.Equals(v, p.Value, StringComparison.Ordinal))
        && a.Enabled == b.Enabled
        && Equals(a.RateLimit, b.RateLimit)
        && Equals(a.Quota, b.Quota);

    private (ApiKeyRecord Record, string Key) Mint(DateTimeOffset now)
    {
        var generated = format.Generate();
        var id = Guid.CreateVersion7(now);
        var record = new ApiKeyRecord
        {
            Id = id,
            LineageId = id, // a new lineage; a rotation's replacement takes the old key's instead
            LookupId = generated.LookupId,
            SecretHash = secretHasher.HashKey(format, generated.Key),
            CreatedAt = now,
        };
        return (record, generated.Key);
    }
}

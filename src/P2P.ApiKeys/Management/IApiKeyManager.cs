using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>
/// Creates, reads, lists, changes, revokes and rotates API keys from any code (a sign-up flow, a customer portal, a
/// worker, a test), with no <c>HttpContext</c> and no admin token. Registered by <c>AddApiKeyAuth</c>; the admin
/// endpoints are one client of it. It holds the rules (validation, which state may change to which, the rotation grace
/// period) over an <see cref="IApiKeyStore"/>, and tells every node about each change through the
/// <see cref="ChangeNotifications.IApiKeyChangeNotifier"/>. Expected outcomes (not found, invalid input, a lost race) are
/// results, never exceptions; an exception means the store failed. Every successful change writes exactly one audit entry
/// (<see cref="ApiKeyAuditActions"/>) with its actor, in the same store transaction as the change when the store is an
/// <see cref="IApiKeyJournalStore"/> (the built-in ones are); a failed change, or one that changes nothing, writes none.
/// The actor is the one the caller names (a request's <c>Actor</c>, an overload's <c>actor</c>), else
/// <see cref="AuditActor.System"/>.
/// </summary>
public interface IApiKeyManager
{
    /// <summary>
    /// Mints a key and stores only the hash of its secret. The full key is in the result only: show it once.
    /// A request without scopes gets <see cref="ApiKeyOptions.DefaultScopes"/>.
    /// </summary>
    Task<ApiKeyResult<CreatedApiKey>> CreateAsync(ApiKeyCreateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads one key's record (never the key), or <see cref="ApiKeyError.NotFound"/>.</summary>
    Task<ApiKeyResult<ApiKeyRecord>> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the record of a whole presented key (for example one reported as leaked), whatever its state: active,
    /// disabled, expired or revoked. <see cref="ApiKeyError.NotFound"/> when the key is malformed (checked from the
    /// string alone, with no store call), has an unknown lookup id, or its secret does not match; the three are not
    /// told apart. The secret is compared in constant time; the key is never stored or logged.
    /// </summary>
    Task<ApiKeyResult<ApiKeyRecord>> FindByKeyAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists keys newest first, one page at a time, filtered by owner and state.</summary>
    Task<ApiKeyResult<ApiKeyPage>> ListAsync(ApiKeyListRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a key's name, scopes, expiry, metadata, enabled flag or limits; never its secret. Only an active key that
    /// has not been rotated can be changed: anything else is <see cref="ApiKeyError.Conflict"/>, as is a change that lost
    /// a race with another one. A request whose values equal the key's (enabling an enabled key) succeeds and writes
    /// nothing.
    /// </summary>
    Task<ApiKeyResult<ApiKeyRecord>> UpdateAsync(Guid id, ApiKeyUpdateRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a key at once (a key in a rotation's grace period included). The record is kept. Revoking a key that is
    /// already revoked, or losing a race with another change, is <see cref="ApiKeyError.Conflict"/>.
    /// </summary>
#pragma warning disable RS0027 // Kept as it was: the overload with an actor came later, and takes its token without a default.
    Task<ApiKeyResult<ApiKeyRecord>> RevokeAsync(Guid id, CancellationToken cancellationToken = default);
#pragma warning restore RS0027

    /// <summary>
    /// Mints a replacement with the same name, owner, scopes, metadata and expiry (the full key in the result only); the
    /// old key keeps working for <paramref name="gracePeriod"/> (zero: revoked at once), never past its own expiry.
    /// Only an active, enabled key that has not been rotated yet can be rotated: of several concurrent rotations exactly
    /// one succeeds, the others are <see cref="ApiKeyError.Conflict"/>.
    /// </summary>
#pragma warning disable RS0027 // Kept as it was: the overload with an actor came later, and takes its token without a default.
    Task<ApiKeyResult<CreatedApiKey>> RotateAsync(Guid id, TimeSpan gracePeriod, CancellationToken cancellationToken = default);
#pragma warning restore RS0027

    /// <summary>As <see cref="RevokeAsync(Guid, CancellationToken)"/>, audited with <paramref name="actor"/>.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="actor">Who revokes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revoked key, or why not.</returns>
    Task<ApiKeyResult<ApiKeyRecord>> RevokeAsync(Guid id, AuditActor actor, CancellationToken cancellationToken) =>
        RevokeAsync(id, cancellationToken);

    /// <summary>As <see cref="RotateAsync(Guid, TimeSpan, CancellationToken)"/>, audited with <paramref name="actor"/>.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="gracePeriod">How long the old key keeps working.</param>
    /// <param name="actor">Who rotates it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The replacement (its full key shown once), or why not.</returns>
    Task<ApiKeyResult<CreatedApiKey>> RotateAsync(Guid id, TimeSpan gracePeriod, AuditActor actor, CancellationToken cancellationToken) =>
        RotateAsync(id, gracePeriod, cancellationToken);

    /// <summary>
    /// Records that a key leaked (a secret scanner found it) and acts on it: <paramref name="response"/> leaves it as it is
    /// (audit <see cref="ApiKeyAuditActions.LeakReported"/>), disables it (<see cref="ApiKeyAuditActions.Disabled"/>) or
    /// revokes it (<see cref="ApiKeyAuditActions.Revoked"/>); one audit entry with <paramref name="actor"/>, in the change's
    /// transaction. A key already disabled (for <see cref="ApiKeyLeakResponse.Disable"/>) is unchanged and writes nothing;
    /// one already revoked is <see cref="ApiKeyError.Conflict"/>, as is a lost race.
    /// </summary>
    /// <param name="id">The key's id.</param>
    /// <param name="response">What to do to the key.</param>
    /// <param name="actor">Who reported it, usually <see cref="AuditActor.Scanner"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key as it is now, or why not.</returns>
    Task<ApiKeyResult<ApiKeyRecord>> ReportLeakAsync(Guid id, ApiKeyLeakResponse response, AuditActor actor, CancellationToken cancellationToken = default) =>
        response switch
        {
            ApiKeyLeakResponse.Revoke => RevokeAsync(id, actor, cancellationToken),
            ApiKeyLeakResponse.Disable => UpdateAsync(id, new ApiKeyUpdateRequest { Enabled = false, Actor = actor }, cancellationToken),
            _ => GetAsync(id, cancellationToken),
        };

    /// <summary>
    /// Clears what the key's budget has used of its rate limit and quota in the current window and period: the only way a
    /// count is cleared early (changing a key's limits keeps it). The budget is the key's lineage, so the key's rotations
    /// are reset with it. An unknown id is <see cref="ApiKeyError.NotFound"/>. With several nodes and no shared limiter,
    /// only this node's count is reset.
    /// </summary>
#pragma warning disable RS0027 // As RevokeAsync: the overload with an actor takes its token without a default.
    Task<ApiKeyResult<ApiKeyRecord>> ResetLimitsAsync(Guid id, CancellationToken cancellationToken = default);
#pragma warning restore RS0027

    /// <summary>As <see cref="ResetLimitsAsync(Guid, CancellationToken)"/>, audited (<see cref="ApiKeyAuditActions.LimitsReset"/>) with <paramref name="actor"/>.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="actor">Who resets it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key, or why not.</returns>
    Task<ApiKeyResult<ApiKeyRecord>> ResetLimitsAsync(Guid id, AuditActor actor, CancellationToken cancellationToken) =>
        ResetLimitsAsync(id, cancellationToken);
}

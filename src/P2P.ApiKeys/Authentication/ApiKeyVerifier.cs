using System.Diagnostics;
using System.Security.Cryptography;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Parse → cache → store → verify, for every API-key scheme. Malformed keys are refused from the string alone, known
/// keys are verified from the cache (synchronously, without allocating), and the store is asked only on a miss.
/// Knows nothing of HTTP: the handler reads the key and maps the <see cref="ApiKeyVerification"/> to a result.
/// </summary>
internal sealed class ApiKeyVerifier(ApiKeyFormat format, ApiKeySecretHasher hasher, ApiKeyVerificationCache cache, ApiKeyMetrics metrics)
{
    public ValueTask<ApiKeyVerification> VerifyAsync(
        string source, int start, int length, IApiKeyStore store, DateTimeOffset now, string claimsIssuer, IApiKeyLookupGate? lookupGate,
        CancellationToken cancellationToken)
    {
        var status = format.TryParse(source.AsSpan(start, length), out var parsed);
        if (status != ApiKeyParseStatus.Valid)
        {
            return new(ApiKeyVerification.Malformed(status));
        }

        if (cache.IsEnabled && cache.TryGet(parsed.LookupId, now, out var entry))
        {
            var outcome = hasher.Verify(parsed.Secret, entry!.SecretHash) ? CheckValidity(entry, now) : ApiKeyVerificationOutcome.InvalidSecret;
            return new(new ApiKeyVerification(outcome, entry, entry.LookupId));
        }

        if (lookupGate is not null && !lookupGate.TryAcquireLookup())
        {
            return new(new ApiKeyVerification(ApiKeyVerificationOutcome.ClientThrottled, null, null));
        }

        return FromStoreAsync(parsed.LookupId.ToString(), hasher.Hash(parsed.Secret), store, now, claimsIssuer, cancellationToken);
    }

    /// <summary>
    /// The cache miss: the only path that touches the store, and the only one with a span
    /// (<c>p2p.api_key.store.lookup</c>, when someone listens) and the only one timed
    /// (<c>p2p.apikeys.store.lookup.duration</c>): lookup id, key id, outcome; never the key.
    /// </summary>
    private async ValueTask<ApiKeyVerification> FromStoreAsync(
        string lookupId, byte[] secretHash, IApiKeyStore store, DateTimeOffset now, string claimsIssuer, CancellationToken cancellationToken)
    {
        using var activity = ApiKeyActivitySource.Instance.StartActivity(ApiKeyActivitySource.StoreLookup);
        var started = metrics.TimesStoreLookups ? Stopwatch.GetTimestamp() : 0;
        var verification = await LookUpAsync(lookupId, secretHash, store, now, claimsIssuer, cancellationToken).ConfigureAwait(false);
        if (started != 0 && !verification.IsAborted)
        {
            metrics.RecordStoreLookup(verification.Outcome, Stopwatch.GetElapsedTime(started));
        }

        if (activity is not null)
        {
            activity.SetTag(ApiKeyActivitySource.LookupIdAttribute, lookupId);
            if (verification.Key is { } key)
            {
                activity.SetTag(ApiKeyActivitySource.KeyIdAttribute, key.Id.ToString());
            }

            activity.SetTag(ApiKeyActivitySource.OutcomeAttribute, ApiKeyMetrics.OutcomeName(verification.Outcome));
            if (verification.StoreFailure is { } failure)
            {
                ApiKeyActivitySource.SetFailure(activity, failure.GetType().FullName ?? failure.GetType().Name);
            }
        }

        return verification;
    }

    private async ValueTask<ApiKeyVerification> LookUpAsync(
        string lookupId, byte[] secretHash, IApiKeyStore store, DateTimeOffset now, string claimsIssuer, CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        ApiKeyRecord? record;
        try
        {
            record = await store.FindByLookupIdAsync(lookupId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ApiKeyVerification.Aborted(lookupId);
        }
#pragma warning disable CA1031 // Any store failure must fail closed with a 503, never a 500 with a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ApiKeyVerification.StoreUnavailable(lookupId, ex);
        }

        // A store with a case-insensitive collation could return another key: lookup ids are case-sensitive.
        if (record is null || !string.Equals(record.LookupId, lookupId, StringComparison.Ordinal) || record.SecretHash.Length != ApiKeySecretHasher.HashSize)
        {
            return new ApiKeyVerification(ApiKeyVerificationOutcome.Unknown, null, lookupId);
        }

        var entry = cache.Create(record, now, claimsIssuer);
        cache.Set(entry, generation);
        var outcome = CryptographicOperations.FixedTimeEquals(secretHash, entry.SecretHash) ? CheckValidity(entry, now) : ApiKeyVerificationOutcome.InvalidSecret;
        return new ApiKeyVerification(outcome, entry, lookupId);
    }

    private static ApiKeyVerificationOutcome CheckValidity(CachedApiKey entry, DateTimeOffset now) =>
        entry.IsRevokedAt(now) ? ApiKeyVerificationOutcome.Revoked
        : entry.IsExpiredAt(now) ? ApiKeyVerificationOutcome.Expired
        : !entry.Enabled ? ApiKeyVerificationOutcome.Disabled
        : ApiKeyVerificationOutcome.Success;
}

/// <summary>
/// Asked on a cache miss before the store is: <see langword="false"/> refuses the key as
/// <see cref="ApiKeyVerificationOutcome.ClientThrottled"/> without a store lookup (the per-client lookup limit).
/// </summary>
internal interface IApiKeyLookupGate
{
    bool TryAcquireLookup();
}

/// <summary>How one verification ended: the one outcome type, with what the handler needs to log and answer.</summary>
internal readonly record struct ApiKeyVerification(ApiKeyVerificationOutcome Outcome, CachedApiKey? Key, string? LookupId)
{
    /// <summary>Why the key is malformed, for the log; fixed text, never the key.</summary>
    public ApiKeyParseStatus ParseStatus { get; init; }

    /// <summary>The store's exception for <see cref="ApiKeyVerificationOutcome.StoreUnavailable"/>.</summary>
    public Exception? StoreFailure { get; init; }

    /// <summary>The request was aborted during the store read: no answer, no failure to count.</summary>
    public bool IsAborted { get; init; }

    public static ApiKeyVerification Malformed(ApiKeyParseStatus status) => new(ApiKeyVerificationOutcome.Malformed, null, null) { ParseStatus = status };

    public static ApiKeyVerification StoreUnavailable(string lookupId, Exception failure) =>
        new(ApiKeyVerificationOutcome.StoreUnavailable, null, lookupId) { StoreFailure = failure };

    public static ApiKeyVerification Aborted(string lookupId) => new(ApiKeyVerificationOutcome.StoreUnavailable, null, lookupId) { IsAborted = true };
}

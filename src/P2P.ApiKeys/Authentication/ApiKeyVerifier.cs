using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// The one verification path of every API-key scheme: parse → cache → per-client lookup budget → store → secret
/// check → result, then the seam (<see cref="ApiKeyOutcomeObservers"/>) hears the outcome. Malformed keys are refused
/// from the string alone, known keys are verified from the cache (synchronously, without allocating), and the store
/// is asked only on a miss. Of the request it reads the client's address, and only when a lookup is charged.
/// </summary>
internal sealed class ApiKeyVerifier(
    ApiKeyFormat format,
    ApiKeySecretHasher hasher,
    ApiKeyVerificationCache<VerifiedApiKey> cache,
    IApiKeyStore store,
    ClientLookupBudget budget,
    ApiKeyOutcomeObservers observers,
    ApiKeyMetrics metrics,
    TimeProvider time)
{
    public ValueTask<ApiKeyVerification> VerifyAsync(PresentedApiKey presented, HttpContext context, string claimsIssuer, CancellationToken cancellationToken)
    {
        var started = observers.TimesVerifications ? time.GetTimestamp() : 0;
        if (presented.Count == 0)
        {
            return new(Decide(ApiKeyOutcome.Missing, null, null, context, started, time.GetUtcNow()));
        }

        if (presented.Count > 1 || format.TryParse(presented.Span, out var parsed) != ApiKeyParseStatus.Valid)
        {
            return new(Decide(ApiKeyOutcome.Malformed, null, null, context, started, time.GetUtcNow()));
        }

        var now = time.GetUtcNow();
        if (cache.IsEnabled && cache.TryGet(parsed.LookupId, now, out var entry))
        {
            if (hasher.Verify(parsed.Secret, entry!.SecretHash))
            {
                return new(Decide(entry.StateAt(now), entry, entry.LookupId, context, started, now));
            }

            // Charged like an unknown id, so that once the budget is spent a recently used lookup id answers as an unknown one.
            return new(budget.TryCharge(context, out _)
                ? Decide(ApiKeyOutcome.InvalidSecret, null, entry.LookupId, context, started, now)
                : Throttled(context, started, now));
        }

        if (!budget.TryCharge(context, out var charge))
        {
            return new(Throttled(context, started, now));
        }

        return FromStoreAsync(parsed.LookupId.ToString(), hasher.Hash(parsed.Secret), now, claimsIssuer, context, charge, started, cancellationToken);
    }

    /// <summary>Authorization refused a valid key (403): the seam hears it with the key.</summary>
    public void ReportForbidden(VerifiedApiKey key, HttpContext context) =>
        observers.Publish(new ApiKeyOutcomeEvent(ApiKeyOutcomes.Of(ApiKeyOutcome.Forbidden), time.GetUtcNow(), key, key.LookupId, context));

    /// <summary>
    /// The cache miss: the only path that touches the store, and the only one with a span (<c>p2p.api_key.store.lookup</c>,
    /// when someone listens) and a timing (<c>p2p.apikeys.store.lookup.duration</c>, when someone listens): lookup id,
    /// key id, outcome; never the key.
    /// </summary>
    private async ValueTask<ApiKeyVerification> FromStoreAsync(
        string lookupId, byte[] secretHash, DateTimeOffset now, string claimsIssuer, HttpContext context, ClientLookupCharge charge, long started,
        CancellationToken cancellationToken)
    {
        using var activity = ApiKeyActivitySource.Instance.StartActivity(ApiKeyActivitySource.StoreLookup);
        var lookupStarted = metrics.TimesStoreLookups ? Stopwatch.GetTimestamp() : 0;
        var verification = await LookUpAsync(lookupId, secretHash, now, claimsIssuer, context, charge, started, cancellationToken).ConfigureAwait(false);
        if (lookupStarted != 0 && !verification.IsAborted)
        {
            metrics.RecordStoreLookup(verification.Outcome, Stopwatch.GetElapsedTime(lookupStarted));
        }

        if (activity is not null)
        {
            activity.SetTag(ApiKeyActivitySource.LookupIdAttribute, lookupId);
            if (verification.Key is { } key)
            {
                activity.SetTag(ApiKeyActivitySource.KeyIdAttribute, key.Id.ToString());
            }

            if (!verification.IsAborted)
            {
                activity.SetTag(ApiKeyActivitySource.OutcomeAttribute, verification.Outcome.MetricTag.Value);
            }

            if (verification.StoreFailure is { } failure)
            {
                ApiKeyActivitySource.SetFailure(activity, failure.GetType().FullName ?? failure.GetType().Name);
            }
        }

        return verification;
    }

    private async ValueTask<ApiKeyVerification> LookUpAsync(
        string lookupId, byte[] secretHash, DateTimeOffset now, string claimsIssuer, HttpContext context, ClientLookupCharge charge, long started,
        CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        ApiKeyRecord? record;
        try
        {
            record = await store.FindByLookupIdAsync(lookupId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ApiKeyVerification.Aborted;
        }
#pragma warning disable CA1031 // Any store failure must fail closed with a 503, never a 500 with a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Decide(ApiKeyOutcome.StoreUnavailable, null, lookupId, context, started, now) with { StoreFailure = ex };
        }

        // A store with a case-insensitive collation could return another key: lookup ids are case-sensitive.
        if (record is null || !string.Equals(record.LookupId, lookupId, StringComparison.Ordinal) || record.SecretHash.Length != ApiKeySecretHasher.HashSize)
        {
            return Decide(ApiKeyOutcome.Unknown, null, lookupId, context, started, now);
        }

        var entry = VerifiedApiKey.Create(record, cache.CachedUntil(now), claimsIssuer);
        cache.Set(entry, generation);
        if (!CryptographicOperations.FixedTimeEquals(secretHash, entry.SecretHash))
        {
            return Decide(ApiKeyOutcome.InvalidSecret, null, lookupId, context, started, now);
        }

        budget.Refund(charge);
        return Decide(entry.StateAt(now), entry, lookupId, context, started, now);
    }

    private ApiKeyVerification Throttled(HttpContext context, long started, DateTimeOffset now) =>
        Decide(ApiKeyOutcome.ClientThrottled, null, null, context, started, now) with { Result = budget.ThrottledResult };

    private ApiKeyVerification Decide(ApiKeyOutcome outcome, VerifiedApiKey? key, string? lookupId, HttpContext context, long started, DateTimeOffset now)
    {
        var info = ApiKeyOutcomes.Of(outcome);
        var elapsed = started == 0 ? (TimeSpan?)null : time.GetElapsedTime(started);
        observers.Publish(new ApiKeyOutcomeEvent(info, now, key, lookupId, context, elapsed));
        return new ApiKeyVerification(info, key, lookupId) { Result = info.Result };
    }
}

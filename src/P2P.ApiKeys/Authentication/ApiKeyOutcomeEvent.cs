using System.Net;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// What the seam hands its observers once a stage has decided a request: the outcome, the key's snapshot when the key
/// is known (id, lookup id, owner, limits), and the client. Passed by reference and never kept: 0 B per request.
/// </summary>
internal readonly struct ApiKeyOutcomeEvent
{
    public ApiKeyOutcomeEvent(
        ApiKeyOutcomeInfo outcome, DateTimeOffset at, VerifiedApiKey? key, string? lookupId, HttpContext context, TimeSpan? elapsed = null, bool limitChecked = false,
        long quotaUsed = 0)
    {
        QuotaUsed = quotaUsed;
        Outcome = outcome;
        At = at;
        LimitChecked = limitChecked;
        Key = key;
        LookupId = lookupId;
        Context = context;
        Elapsed = elapsed;
    }

    /// <summary>The outcome and its row of the table (stage, status, metric tag).</summary>
    public ApiKeyOutcomeInfo Outcome { get; }

    /// <summary>When the stage decided, from the library's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset At { get; }

    /// <summary>
    /// The key as the store knows it, for every outcome where the secret matched a stored key (verified, refused for its
    /// state, forbidden, allowed, limited); <see langword="null"/> for a missing, malformed or unknown key, a wrong
    /// secret or a store failure.
    /// </summary>
    public VerifiedApiKey? Key { get; }

    /// <summary>The public lookup id of a well-formed key, known or not; never the key.</summary>
    public string? LookupId { get; }

    /// <summary>The request; read what you need of it (and nothing of its body), never keep it.</summary>
    public HttpContext Context { get; }

    /// <summary>
    /// The client's address, as the connection (or the host's forwarded-headers setup) reports it. Read on demand: an
    /// observer that needs no address costs the request nothing.
    /// </summary>
    public IPAddress? Client => Context.Connection.RemoteIpAddress;

    /// <summary>How long verification took, when an observer asked for it (<see cref="ApiKeyOutcomeObservers.TimesVerifications"/>).</summary>
    public TimeSpan? Elapsed { get; }

    /// <summary>For a limit-stage outcome: whether a limiter decided (the key had a rate limit or quota on this endpoint).</summary>
    public bool LimitChecked { get; }

    /// <summary>For a limit-stage outcome: the cost units counted in the key's current quota period (0 without a quota).</summary>
    public long QuotaUsed { get; }
}

using Microsoft.AspNetCore.Authentication;

namespace P2P.ApiKeys.Authentication;

/// <summary>How one verification ended: the outcome's row, the key when it is known, and what the handler answers.</summary>
internal readonly record struct ApiKeyVerification(ApiKeyOutcomeInfo Outcome, VerifiedApiKey? Key, string? LookupId)
{
    /// <summary>The request was aborted during the store read: no answer, no outcome published.</summary>
    public static readonly ApiKeyVerification Aborted = new(ApiKeyOutcomes.Of(ApiKeyOutcome.StoreUnavailable), null, null) { IsAborted = true };

    /// <summary>The fixed failure result of a refusal; <see langword="null"/> for a verified or missing key.</summary>
    public AuthenticateResult? Result { get; init; }

    /// <summary>The store's exception, for the log line of <see cref="ApiKeyOutcome.StoreUnavailable"/>.</summary>
    public Exception? StoreFailure { get; init; }

    public bool IsAborted { get; init; }
}

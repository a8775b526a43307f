namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Subscribes to the seam after each stage of the request path (verification, authorization, limits): metrics,
/// last-used times and usage history are observers, so the handler calls none of them by name. Called on the
/// request's thread for every request: an observer must not block, throw or allocate per call.
/// </summary>
internal interface IApiKeyOutcomeObserver
{
    /// <summary>Whether this observer reads <see cref="ApiKeyOutcomeEvent.Elapsed"/>; when none does, no clock is read for it.</summary>
    bool TimesVerifications { get; }

    void OnOutcome(in ApiKeyOutcomeEvent outcome);
}

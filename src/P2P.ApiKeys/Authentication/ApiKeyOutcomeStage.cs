namespace P2P.ApiKeys.Authentication;

/// <summary>The step of the request path that decided an <see cref="ApiKeyOutcome"/>.</summary>
internal enum ApiKeyOutcomeStage
{
    /// <summary>The authentication handler and its verifier.</summary>
    Verification,

    /// <summary>Authorization: the endpoint's policy refused a valid key.</summary>
    Authorization,

    /// <summary>The per-key limit step, run just before the endpoint.</summary>
    Limits,
}

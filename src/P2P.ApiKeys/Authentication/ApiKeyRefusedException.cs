namespace P2P.ApiKeys.Authentication;

/// <summary>
/// The failure of a refused key's <see cref="Microsoft.AspNetCore.Authentication.AuthenticateResult"/>, as
/// <c>JwtBearerHandler</c> carries its validation exception: the challenge reads the outcome back from it instead of
/// from a field of the handler. One instance per outcome (per client-lookup window), created once and never thrown.
/// </summary>
#pragma warning disable CA1032, CA1064 // Never thrown nor caught: a carrier of the outcome, not part of the public surface.
internal sealed class ApiKeyRefusedException(ApiKeyOutcomeInfo outcome, string message, TimeSpan retryWindow = default) : Exception(message)
#pragma warning restore CA1032, CA1064
{
    public ApiKeyOutcomeInfo Outcome { get; } = outcome;

    /// <summary>For <see cref="ApiKeyOutcome.ClientThrottled"/>: the window of the lookup budget, to compute <c>Retry-After</c>.</summary>
    public TimeSpan RetryWindow { get; } = retryWindow;
}

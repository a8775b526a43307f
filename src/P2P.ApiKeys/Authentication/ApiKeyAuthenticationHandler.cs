using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Reads the API key a request presents (<see cref="ApiKeyAuthenticationOptions.HeaderName"/>, <c>Authorization: ApiKey</c>,
/// the opted-in query parameter, or what <c>OnMessageReceived</c> supplies) and hands it to <see cref="ApiKeyVerifier"/>.
/// A refusal travels in <see cref="AuthenticateResult.Failure"/> and the challenge reads it back, as <c>JwtBearerHandler</c>
/// does; <c>OnChallenge</c> and <c>OnForbidden</c> let the host own the 401/429/503 and 403 answers. What happens after
/// verification (limits, usage, metrics) hangs off the verifier's seam: this class calls none of it.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> optionsMonitor, ApiKeyHandlerLoggerFactory loggerFactory, ApiKeyVerifier verifier)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(optionsMonitor, loggerFactory, UrlEncoder.Default)
{
    // Fixed text (the framework logs it): never anything from the request.
    private static readonly AuthenticateResult AbortedResult = AuthenticateResult.Fail("The request was aborted.");

    private new ApiKeyAuthenticationEvents Events => (ApiKeyAuthenticationEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new ApiKeyAuthenticationEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        PresentedApiKey presented = default;
        if (Events.ListensToMessages)
        {
            var message = new ApiKeyMessageReceivedContext(Context, Scheme, Options);
            await Events.MessageReceived(message).ConfigureAwait(false);
            if (message.Result is not null)
            {
                return message.Result;
            }

            if (!string.IsNullOrEmpty(message.Key))
            {
                presented = PresentedApiKey.One(message.Key, 0, message.Key.Length);
            }
        }

        if (presented.Count == 0)
        {
            presented = PresentedApiKey.Read(Request, Options);
        }

        var verification = await verifier.VerifyAsync(presented, Context, ClaimsIssuer, Context.RequestAborted).ConfigureAwait(false);
        if (verification.IsAborted)
        {
            ApiKeyLog.VerificationAborted(Logger);
            return AbortedResult;
        }

        var outcome = verification.Outcome;
        outcome.Log?.Invoke(Logger, verification.LookupId ?? "", verification.StoreFailure);
        if (verification.Result is { } refusal)
        {
            return Events.ListensToFailures ? await FailedAsync(outcome, refusal, verification.LookupId).ConfigureAwait(false) : refusal;
        }

        if (verification.Key is not { } key)
        {
            return AuthenticateResult.NoResult();
        }

        var principal = key.CreatePrincipal(Scheme.Name);
        if (Events.ListensToValidations)
        {
            var validated = new ApiKeyValidatedContext(Context, Scheme, Options, principal, key.Id, key.LookupId);
            await Events.Validated(validated).ConfigureAwait(false);
            if (validated.Result is not null)
            {
                return validated.Result;
            }

            principal = validated.Principal ?? principal;
        }

        // What the limit step reads once authorization passed: the snapshot itself, nothing allocated.
        Context.Features.Set(key);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The answer follows the authentication result; authenticate first if nobody did.
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (ReferenceEquals(result, AbortedResult) || Response.HasStarted)
        {
            return;
        }

        var refusal = result.Failure as ApiKeyRefusedException;
        var outcome = refusal?.Outcome ?? ApiKeyOutcomes.Of(ApiKeyOutcome.Missing);
        if (Events.ListensToChallenges)
        {
            var challenge = new ApiKeyChallengeContext(Context, Scheme, Options, properties, outcome.Failure, result.Failure, outcome.StatusCode);
            await Events.Challenge(challenge).ConfigureAwait(false);
            if (challenge.Handled || Response.HasStarted)
            {
                return;
            }
        }

        await ApiKeyProblem.WriteChallengeAsync(Context, outcome, refusal, TimeProvider.GetUtcNow()).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var outcome = ApiKeyOutcomes.Of(ApiKeyOutcome.Forbidden);
        var key = Context.Features.Get<VerifiedApiKey>();
        if (key is not null)
        {
            outcome.Log?.Invoke(Logger, key.LookupId, null);
            verifier.ReportForbidden(key, Context);
        }

        if (Events.ListensToForbidden)
        {
            var forbidden = new ApiKeyForbiddenContext(Context, Scheme, Options, properties, key?.Id, key?.LookupId);
            await Events.Forbidden(forbidden).ConfigureAwait(false);
            if (forbidden.Handled)
            {
                return;
            }
        }

        if (!Response.HasStarted)
        {
            await ApiKeyProblem.WriteAsync(Context, outcome).ConfigureAwait(false);
        }
    }

    private async Task<AuthenticateResult> FailedAsync(ApiKeyOutcomeInfo outcome, AuthenticateResult refusal, string? lookupId)
    {
        var failed = new ApiKeyFailedContext(Context, Scheme, Options, outcome.Failure!.Value, lookupId);
        await Events.Failed(failed).ConfigureAwait(false);
        return failed.Result ?? refusal;
    }
}

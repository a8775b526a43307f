using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Authenticates a request by the API key in <see cref="ApiKeyAuthenticationOptions.HeaderName"/> (or
/// <c>Authorization: ApiKey</c>, the opted-in query parameter, or what <c>OnMessageReceived</c> supplies), hands it
/// to <see cref="ApiKeyVerifier"/> (parse, cache, store, verify), and maps the one outcome to a ticket, a 401, a 429 or a
/// 503. It is the verifier's <see cref="IApiKeyLookupGate"/>: a cache miss asks the per-client lookup limit first.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> optionsMonitor,
    ApiKeyHandlerLoggerFactory loggerFactory,
    UrlEncoder urlEncoder,
    ApiKeyVerifier verifier,
    ApiKeyUsageTracker usageTracker,
    ApiKeyMetrics metrics,
    ClientLookupLimiter clientLookups)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(optionsMonitor, loggerFactory, urlEncoder), IApiKeyLookupGate
{
    private const string ProblemContentType = "application/problem+json";

    // Failure messages end up in the framework's own log line: fixed text, never anything from the request.
    private static readonly AuthenticateResult AbortedResult = AuthenticateResult.Fail("The request was aborted.");

    /// <summary>What each refusal answers and tells the Failed event, indexed by <see cref="ApiKeyVerificationOutcome"/>.</summary>
    private static readonly (AuthenticateResult Result, ApiKeyValidationFailure Failure)[] Refusals = BuildRefusals();

    private ApiKeyVerificationOutcome? _outcome;
    private bool _aborted;
    private TimeSpan _retryAfter;

    private new ApiKeyAuthenticationEvents Events => (ApiKeyAuthenticationEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new ApiKeyAuthenticationEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        PresentedKey presented = default;
        var read = KeyRead.None;
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
                presented = new PresentedKey(message.Key, 0, message.Key.Length);
                read = KeyRead.One;
            }
        }

        if (read == KeyRead.None)
        {
            read = ReadPresentedKey(out presented);
        }

        if (read == KeyRead.None)
        {
            Complete(ApiKeyVerificationOutcome.Missing);
            ApiKeyLog.KeyMissing(Logger);
            return AuthenticateResult.NoResult();
        }

        if (read == KeyRead.Several)
        {
            ApiKeyLog.KeyMalformed(Logger, "several keys");
            return await FailAsync(ApiKeyVerificationOutcome.Malformed, null).ConfigureAwait(false);
        }

        var now = TimeProvider.GetUtcNow();
        var verification = await verifier.VerifyAsync(
            presented.Source, presented.Start, presented.Length, Context.RequestServices.GetRequiredService<IApiKeyStore>(), now, ClaimsIssuer,
            clientLookups.IsEnabled ? this : null, Context.RequestAborted)
            .ConfigureAwait(false);
        if (verification.IsAborted)
        {
            _aborted = true;
            ApiKeyLog.VerificationAborted(Logger);
            return AbortedResult;
        }

        if (verification.Outcome != ApiKeyVerificationOutcome.Success)
        {
            LogRejection(verification);
            return await FailAsync(verification.Outcome, verification.LookupId).ConfigureAwait(false);
        }

        var entry = verification.Key!;
        usageTracker.Record(entry.Id, now);
        Complete(ApiKeyVerificationOutcome.Success);
        ApiKeyLog.KeyVerified(Logger, entry.LookupId);
        var principal = entry.CreatePrincipal(Scheme.Name);
        if (Events.ListensToValidations)
        {
            var validated = new ApiKeyValidatedContext(Context, Scheme, Options, principal, entry.Id, entry.LookupId);
            await Events.Validated(validated).ConfigureAwait(false);
            if (validated.Result is not null)
            {
                return validated.Result;
            }

            principal = validated.Principal ?? principal;
        }

        // For per-key limits, enforced once authorization succeeds: the snapshot is the feature, nothing is allocated.
        Context.Features.Set<IApiKeyLimitsFeature>(entry);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>A cache miss is about to ask the store: the flood of random keys would hit this path.</summary>
    bool IApiKeyLookupGate.TryAcquireLookup() => clientLookups.TryAcquire(Context, out _retryAfter);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The outcome decides between 401 and 503; authenticate first if nobody did.
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (_aborted || Response.HasStarted)
        {
            return;
        }

        if (_outcome == ApiKeyVerificationOutcome.StoreUnavailable)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "5";
            await WriteProblemAsync(
                StatusCodes.Status503ServiceUnavailable,
                "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                "Service Unavailable",
                "The API key cannot be verified right now. Try again later.").ConfigureAwait(false);
            return;
        }

        if (_outcome == ApiKeyVerificationOutcome.ClientThrottled)
        {
            var retryAfter = ApiKeyRateLimitHeaders.Seconds(_retryAfter);
            Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiKeyLimitAuthorizationResultHandler.WriteTooManyRequestsAsync(
                Context, "Too many API-key lookups from this client. Retry later with a valid key.", retryAfter, "client").ConfigureAwait(false);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, ApiKeyDefaults.AuthorizationScheme);
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            "Unauthorized",
            "A valid API key is required.").ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        var lookupId = Context.User.FindFirst(ApiKeyClaimTypes.LookupId)?.Value;
        if (lookupId is not null)
        {
            ApiKeyLog.KeyForbidden(Logger, lookupId);
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            "Forbidden",
            "The API key does not grant a scope this endpoint requires.").ConfigureAwait(false);
    }

    private KeyRead ReadPresentedKey(out PresentedKey presented)
    {
        presented = default;
        var read = ReadSingle(Request.Headers[Options.HeaderName], 0, ref presented);
        if (read != KeyRead.None)
        {
            return read;
        }

        if (Options.AllowAuthorizationHeader)
        {
            var found = false;
            foreach (var value in Request.Headers.Authorization)
            {
                if (value is null || value.Length <= ApiKeyDefaults.AuthorizationScheme.Length
                    || value[ApiKeyDefaults.AuthorizationScheme.Length] != ' '
                    || !value.StartsWith(ApiKeyDefaults.AuthorizationScheme, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // Another scheme's credentials (Bearer ...): not ours.
                }

                if (found)
                {
                    return KeyRead.Several;
                }

                found = true;
                var start = ApiKeyDefaults.AuthorizationScheme.Length + 1;
                while (start < value.Length && value[start] == ' ')
                {
                    start++;
                }

                presented = new PresentedKey(value, start, value.Length - start);
            }

            if (found)
            {
                return KeyRead.One;
            }
        }

        if (Options.QueryParameterName is { } parameter && Request.QueryString.HasValue)
        {
            // The value in Request.Query was redacted before anything could log it (ApiKeyRequestRedaction).
            return ReadSingle(Request.GetUnredactedQuery()[parameter], 0, ref presented);
        }

        return KeyRead.None;
    }

    private static KeyRead ReadSingle(StringValues values, int start, ref PresentedKey presented)
    {
        if (values.Count > 1)
        {
            return KeyRead.Several;
        }

        var value = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(value))
        {
            return KeyRead.None;
        }

        presented = new PresentedKey(value, start, value.Length - start);
        return KeyRead.One;
    }

    /// <summary>One log line per refusal, by outcome: the lookup id at most, never the key.</summary>
    private void LogRejection(in ApiKeyVerification verification)
    {
        var lookupId = verification.LookupId ?? "";
        switch (verification.Outcome)
        {
            case ApiKeyVerificationOutcome.Malformed:
                ApiKeyLog.KeyMalformed(Logger, DescribeParseFailure(verification.ParseStatus));
                break;
            case ApiKeyVerificationOutcome.Unknown:
                ApiKeyLog.KeyUnknown(Logger, lookupId);
                break;
            case ApiKeyVerificationOutcome.StoreUnavailable:
                ApiKeyLog.StoreUnavailable(Logger, verification.StoreFailure!);
                break;
            case ApiKeyVerificationOutcome.Revoked:
                ApiKeyLog.KeyRevoked(Logger, lookupId);
                break;
            case ApiKeyVerificationOutcome.Expired:
                ApiKeyLog.KeyExpired(Logger, lookupId);
                break;
            case ApiKeyVerificationOutcome.Disabled:
                ApiKeyLog.KeyDisabled(Logger, lookupId);
                break;
            case ApiKeyVerificationOutcome.ClientThrottled:
                // Counted by the metrics' client_throttled outcome; a flood must not flood the log too.
                break;
            default:
                ApiKeyLog.KeyInvalidSecret(Logger, lookupId);
                break;
        }
    }

    private async ValueTask<AuthenticateResult> FailAsync(ApiKeyVerificationOutcome outcome, string? lookupId)
    {
        Complete(outcome);
        if (Events.ListensToFailures)
        {
            var failed = new ApiKeyFailedContext(Context, Scheme, Options, Refusals[(int)outcome].Failure, lookupId);
            await Events.Failed(failed).ConfigureAwait(false);
            if (failed.Result is not null)
            {
                return failed.Result;
            }
        }

        return Refusals[(int)outcome].Result;
    }

    private void Complete(ApiKeyVerificationOutcome outcome)
    {
        _outcome = outcome;
        metrics.Record(outcome);
    }

    private static (AuthenticateResult, ApiKeyValidationFailure)[] BuildRefusals()
    {
        var malformed = (AuthenticateResult.Fail("The API key is malformed."), ApiKeyValidationFailure.Malformed);
        var table = new (AuthenticateResult, ApiKeyValidationFailure)[Enum.GetValues<ApiKeyVerificationOutcome>().Length];
        Array.Fill(table, malformed);
        table[(int)ApiKeyVerificationOutcome.Unknown] = (AuthenticateResult.Fail("The API key is unknown."), ApiKeyValidationFailure.Unknown);
        table[(int)ApiKeyVerificationOutcome.Revoked] = (AuthenticateResult.Fail("The API key was revoked."), ApiKeyValidationFailure.Revoked);
        table[(int)ApiKeyVerificationOutcome.Expired] = (AuthenticateResult.Fail("The API key expired."), ApiKeyValidationFailure.Expired);
        table[(int)ApiKeyVerificationOutcome.Disabled] = (AuthenticateResult.Fail("The API key is disabled."), ApiKeyValidationFailure.Disabled);
        table[(int)ApiKeyVerificationOutcome.InvalidSecret] = (AuthenticateResult.Fail("The API key secret does not match."), ApiKeyValidationFailure.InvalidSecret);
        table[(int)ApiKeyVerificationOutcome.StoreUnavailable] = (AuthenticateResult.Fail("The API key store is unavailable."), ApiKeyValidationFailure.StoreUnavailable);
        table[(int)ApiKeyVerificationOutcome.ClientThrottled] = (AuthenticateResult.Fail("The client made too many API-key lookups."), ApiKeyValidationFailure.ClientThrottled);
        return table;
    }

    private static string DescribeParseFailure(ApiKeyParseStatus status) => status switch
    {
        ApiKeyParseStatus.Empty => "empty",
        ApiKeyParseStatus.WrongLength => "wrong length",
        ApiKeyParseStatus.WrongPrefix => "wrong prefix",
        ApiKeyParseStatus.BadSeparator => "bad separator",
        ApiKeyParseStatus.InvalidCharacter => "invalid character",
        ApiKeyParseStatus.BadChecksum => "bad checksum",
        _ => "invalid",
    };

    private async Task WriteProblemAsync(int status, string type, string title, string detail)
    {
        // Fixed text only: no validation details and never anything the client sent.
        var problem = new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail };
        var problemDetailsService = Context.RequestServices.GetService<IProblemDetailsService>();
        if (problemDetailsService is not null
            && await problemDetailsService.TryWriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            return;
        }

        await Response.WriteAsJsonAsync(problem, options: null, contentType: ProblemContentType, Context.RequestAborted).ConfigureAwait(false);
    }

    private enum KeyRead
    {
        None,
        One,
        Several,
    }

    /// <summary>Where the key sits in the header value, so that <c>Authorization: ApiKey …</c> needs no substring.</summary>
    private readonly record struct PresentedKey(string Source, int Start, int Length);
}

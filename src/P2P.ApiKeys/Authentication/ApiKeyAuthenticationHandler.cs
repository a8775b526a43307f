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
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Authenticates a request by the API key in <see cref="ApiKeyAuthenticationOptions.HeaderName"/> (or
/// <c>Authorization: ApiKey</c>, or the opted-in query parameter). Malformed keys are refused from the
/// string alone; known keys are verified from the cache; the store is asked only on a miss.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> optionsMonitor,
    ApiKeyHandlerLoggerFactory loggerFactory,
    UrlEncoder urlEncoder,
    ApiKeyFormat format,
    ApiKeySecretHasher hasher,
    ApiKeyVerificationCache cache,
    ApiKeyUsageTracker usageTracker,
    ApiKeyMetrics metrics)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(optionsMonitor, loggerFactory, urlEncoder)
{
    private const string ProblemContentType = "application/problem+json";
    private const long NotTimed = -1;

    // Failure messages end up in the framework's own log line: fixed text, never anything from the request.
    private static readonly AuthenticateResult MalformedResult = AuthenticateResult.Fail("The API key is malformed.");
    private static readonly AuthenticateResult UnknownResult = AuthenticateResult.Fail("The API key is unknown.");
    private static readonly AuthenticateResult RevokedResult = AuthenticateResult.Fail("The API key was revoked.");
    private static readonly AuthenticateResult ExpiredResult = AuthenticateResult.Fail("The API key expired.");
    private static readonly AuthenticateResult DisabledResult = AuthenticateResult.Fail("The API key is disabled.");
    private static readonly AuthenticateResult InvalidSecretResult = AuthenticateResult.Fail("The API key secret does not match.");
    private static readonly AuthenticateResult StoreUnavailableResult = AuthenticateResult.Fail("The API key store is unavailable.");
    private static readonly AuthenticateResult AbortedResult = AuthenticateResult.Fail("The request was aborted.");

    private ApiKeyVerificationOutcome? _outcome;
    private bool _aborted;

    private new ApiKeyAuthenticationEvents Events => (ApiKeyAuthenticationEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new ApiKeyAuthenticationEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var started = metrics.TimesVerifications ? TimeProvider.GetTimestamp() : NotTimed;
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
            Complete(ApiKeyVerificationOutcome.Missing, started);
            ApiKeyLog.KeyMissing(Logger);
            return AuthenticateResult.NoResult();
        }

        if (read == KeyRead.Several)
        {
            ApiKeyLog.KeyMalformed(Logger, "several keys");
            return await FailAsync(ApiKeyVerificationOutcome.Malformed, null, started).ConfigureAwait(false);
        }

        var now = TimeProvider.GetUtcNow();
        var check = CheckWithoutStore(presented, now, out var entry, out var lookupId, out var secretHash);
        if (check == ApiKeyVerificationOutcome.Malformed)
        {
            return await FailAsync(ApiKeyVerificationOutcome.Malformed, null, started).ConfigureAwait(false);
        }

        if (entry is null)
        {
            // Cache miss: the only path that touches the store.
            var generation = cache.Generation;
            ApiKeyRecord? record;
            try
            {
                var store = Context.RequestServices.GetRequiredService<IApiKeyStore>();
                record = await store.FindByLookupIdAsync(lookupId!, Context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Context.RequestAborted.IsCancellationRequested)
            {
                _aborted = true;
                ApiKeyLog.VerificationAborted(Logger);
                return AbortedResult;
            }
#pragma warning disable CA1031 // Any store failure must fail closed with a 503, never a 500 with a stack trace.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ApiKeyLog.StoreUnavailable(Logger, ex);
                return await FailAsync(ApiKeyVerificationOutcome.StoreUnavailable, lookupId, started).ConfigureAwait(false);
            }

            // A store with a case-insensitive collation could return another key: lookup ids are case-sensitive.
            if (record is null || !string.Equals(record.LookupId, lookupId, StringComparison.Ordinal) || record.SecretHash.Length != ApiKeySecretHasher.HashSize)
            {
                ApiKeyLog.KeyUnknown(Logger, lookupId!);
                return await FailAsync(ApiKeyVerificationOutcome.Unknown, lookupId, started).ConfigureAwait(false);
            }

            entry = cache.Create(record, now, ClaimsIssuer);
            cache.Set(entry, generation);
            check = Verify(entry, secretHash!, now);
        }

        if (check != ApiKeyVerificationOutcome.Success)
        {
            LogRejection(check, entry.LookupId);
            return await FailAsync(check, entry.LookupId, started).ConfigureAwait(false);
        }

        usageTracker.Record(entry.Id, now);
        Complete(ApiKeyVerificationOutcome.Success, started);
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

        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

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

    /// <summary>
    /// Everything that can be decided without the store, on spans: shape and checksum, then the cached
    /// snapshot. On a miss, returns the lookup id and the secret's hash for the store path.
    /// </summary>
    private ApiKeyVerificationOutcome CheckWithoutStore(PresentedKey presented, DateTimeOffset now, out CachedApiKey? entry, out string? lookupId, out byte[]? secretHash)
    {
        entry = null;
        lookupId = null;
        secretHash = null;
        var status = format.TryParse(presented.AsSpan(), out var parsed);
        if (status != ApiKeyParseStatus.Valid)
        {
            ApiKeyLog.KeyMalformed(Logger, DescribeParseFailure(status));
            return ApiKeyVerificationOutcome.Malformed;
        }

        if (cache.IsEnabled && cache.TryGet(parsed.LookupId, now, out entry))
        {
            return Verify(entry!, parsed.Secret, now);
        }

        lookupId = parsed.LookupId.ToString();
        secretHash = hasher.Hash(parsed.Secret);
        return ApiKeyVerificationOutcome.Success;
    }

    private ApiKeyVerificationOutcome Verify(CachedApiKey entry, ReadOnlySpan<char> secret, DateTimeOffset now) =>
        !hasher.Verify(secret, entry.SecretHash) ? ApiKeyVerificationOutcome.InvalidSecret : CheckValidity(entry, now);

    private static ApiKeyVerificationOutcome Verify(CachedApiKey entry, byte[] secretHash, DateTimeOffset now) =>
        !CryptographicOperations.FixedTimeEquals(secretHash, entry.SecretHash) ? ApiKeyVerificationOutcome.InvalidSecret : CheckValidity(entry, now);

    private static ApiKeyVerificationOutcome CheckValidity(CachedApiKey entry, DateTimeOffset now) =>
        entry.IsRevokedAt(now) ? ApiKeyVerificationOutcome.Revoked
        : entry.IsExpiredAt(now) ? ApiKeyVerificationOutcome.Expired
        : !entry.Enabled ? ApiKeyVerificationOutcome.Disabled
        : ApiKeyVerificationOutcome.Success;

    private void LogRejection(ApiKeyVerificationOutcome outcome, string lookupId)
    {
        switch (outcome)
        {
            case ApiKeyVerificationOutcome.Revoked:
                ApiKeyLog.KeyRevoked(Logger, lookupId);
                break;
            case ApiKeyVerificationOutcome.Expired:
                ApiKeyLog.KeyExpired(Logger, lookupId);
                break;
            case ApiKeyVerificationOutcome.Disabled:
                ApiKeyLog.KeyDisabled(Logger, lookupId);
                break;
            default:
                ApiKeyLog.KeyInvalidSecret(Logger, lookupId);
                break;
        }
    }

    private async ValueTask<AuthenticateResult> FailAsync(ApiKeyVerificationOutcome outcome, string? lookupId, long started)
    {
        Complete(outcome, started);
        if (Events.ListensToFailures)
        {
            var failed = new ApiKeyFailedContext(Context, Scheme, Options, ToFailure(outcome), lookupId);
            await Events.Failed(failed).ConfigureAwait(false);
            if (failed.Result is not null)
            {
                return failed.Result;
            }
        }

        return outcome switch
        {
            ApiKeyVerificationOutcome.Unknown => UnknownResult,
            ApiKeyVerificationOutcome.Revoked => RevokedResult,
            ApiKeyVerificationOutcome.Expired => ExpiredResult,
            ApiKeyVerificationOutcome.Disabled => DisabledResult,
            ApiKeyVerificationOutcome.InvalidSecret => InvalidSecretResult,
            ApiKeyVerificationOutcome.StoreUnavailable => StoreUnavailableResult,
            _ => MalformedResult,
        };
    }

    private void Complete(ApiKeyVerificationOutcome outcome, long started)
    {
        _outcome = outcome;
        metrics.Record(outcome, started == NotTimed ? null : TimeProvider.GetElapsedTime(started));
    }

    private static ApiKeyValidationFailure ToFailure(ApiKeyVerificationOutcome outcome) => outcome switch
    {
        ApiKeyVerificationOutcome.Unknown => ApiKeyValidationFailure.Unknown,
        ApiKeyVerificationOutcome.Revoked => ApiKeyValidationFailure.Revoked,
        ApiKeyVerificationOutcome.Expired => ApiKeyValidationFailure.Expired,
        ApiKeyVerificationOutcome.Disabled => ApiKeyValidationFailure.Disabled,
        ApiKeyVerificationOutcome.InvalidSecret => ApiKeyValidationFailure.InvalidSecret,
        ApiKeyVerificationOutcome.StoreUnavailable => ApiKeyValidationFailure.StoreUnavailable,
        _ => ApiKeyValidationFailure.Malformed,
    };

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
    private readonly record struct PresentedKey(string Source, int Start, int Length)
    {
        public ReadOnlySpan<char> AsSpan() => Source is null ? default : Source.AsSpan(Start, Length);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// The scanners' endpoints, read top to bottom: rate limit per client address (429) → authenticate from headers alone
/// (401) → read at most <see cref="SecretScanningOptions.MaxRequestBodyBytes"/> (413) → for GitHub, verify the signature
/// over the raw bytes (401) → only then parse (415, 400) → label and act (<see cref="LeakedKeyResponder"/>). Nothing in a
/// body is looked at before its sender is proven; every refusal is a ProblemDetails, counted in metrics, logged at Debug.
/// </summary>
internal sealed class SecretScanningEndpoints(
    GitHubPublicKeySet gitHubKeys,
    LeakedKeyResponder responder,
    SecretScanningRateLimiter rateLimiter,
    ReplayedReports replays,
    SecretScanningMetrics metrics,
    IOptions<SecretScanningOptions> options,
    ILogger<SecretScanningEndpoints> logger)
{
    public const string GitHubIdentifierHeader = "Github-Public-Key-Identifier";
    public const string GitHubSignatureHeader = "Github-Public-Key-Signature";

    /// <summary>A DER ECDSA P-256 signature is at most 72 bytes; its base64 at most 96 characters.</summary>
    private const int MaxSignatureLength = 128;

    private readonly SecretScanningOptions _options = options.Value;
    private readonly byte[]? _gitLabSecretHash = options.Value.GitLab.SharedSecret is { Length: > 0 } secret ? SHA256.HashData(Encoding.UTF8.GetBytes(secret)) : null;

    public string GitLabTokenType => _options.GitLab.TokenType ?? _options.TokenType;

    /// <summary><c>POST /github</c>: a signed JSON array of matches; answers a label per match.</summary>
    public async Task<IResult> GitHubReportAsync(HttpContext context)
    {
        const SecretScanningProvider provider = SecretScanningProvider.GitHub;
        NoStore(context);
        if (!rateLimiter.TryAcquire(provider, context, out var retryAfter))
        {
            return Throttled(context, provider, retryAfter);
        }

        var headers = context.Request.Headers;
        if (!TryReadSingle(headers[GitHubIdentifierHeader], GitHubPublicKeySet.MaxIdentifierLength, out var identifier)
            || !TryReadSingle(headers[GitHubSignatureHeader], MaxSignatureLength, out var encodedSignature)
            || !TryDecodeBase64(encodedSignature, out var signature))
        {
            return Unauthorized(provider, "missing or malformed signature headers");
        }

        var (body, tooLarge) = await ReadBodyAsync(context.Request, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (tooLarge)
        {
            return TooLarge(provider);
        }

        if (!await gitHubKeys.VerifyAsync(identifier, body, signature, context.RequestAborted).ConfigureAwait(false))
        {
            return Unauthorized(provider, "unknown key identifier or bad signature");
        }

        if (ParseList<GitHubTokenMatch>(provider, context, body, "matches", out var matches) is { } invalid)
        {
            return invalid;
        }

        var tokens = matches.ConvertAll(m => new ReportedToken(m.Token, m.Url is { Length: > 0 } url ? url : m.Source ?? ""));
        var labels = await RespondAsync(context, provider, body, tokens).ConfigureAwait(false);
        if (labels is null)
        {
            return StoreUnavailable();
        }

        var answer = new List<GitHubTokenLabel>(matches.Count);
        for (var i = 0; i < matches.Count; i++)
        {
            answer.Add(new GitHubTokenLabel
            {
                TokenHash = TokenHash(matches[i].Token),
                TokenType = matches[i].Type ?? _options.TokenType,
                Label = labels[i] ? GitHubTokenLabel.TruePositive : GitHubTokenLabel.FalsePositive,
            });
        }

        return TypedResults.Json(answer, SecretScanningJsonContext.Default.ListGitHubTokenLabel);
    }

    /// <summary><c>GET /gitlab/v1/revocable_token_types</c>.</summary>
    public IResult GitLabTokenTypes(HttpContext context)
    {
        const SecretScanningProvider provider = SecretScanningProvider.GitLab;
        NoStore(context);
        if (!rateLimiter.TryAcquire(provider, context, out var retryAfter))
        {
            return Throttled(context, provider, retryAfter);
        }

        if (!IsGitLab(context.Request.Headers.Authorization))
        {
            return Unauthorized(provider, "missing or wrong shared secret");
        }

        metrics.Request(provider, "accepted");
        return TypedResults.Json(new GitLabTokenTypes { Types = [GitLabTokenType] }, SecretScanningJsonContext.Default.GitLabTokenTypes);
    }

    /// <summary><c>POST /gitlab/v1/revoke_tokens</c>: a JSON array of tokens; 204 once every one is handled.</summary>
    public async Task<IResult> GitLabRevokeAsync(HttpContext context)
    {
        const SecretScanningProvider provider = SecretScanningProvider.GitLab;
        NoStore(context);
        if (!rateLimiter.TryAcquire(provider, context, out var retryAfter))
        {
            return Throttled(context, provider, retryAfter);
        }

        if (!IsGitLab(context.Request.Headers.Authorization))
        {
            return Unauthorized(provider, "missing or wrong shared secret");
        }

        var (body, tooLarge) = await ReadBodyAsync(context.Request, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (tooLarge)
        {
            return TooLarge(provider);
        }

        if (ParseList<GitLabRevocableToken>(provider, context, body, "tokens", out var reported) is { } invalid)
        {
            return invalid;
        }

        // GitLab's API: an unsupported type is a 400 for the whole request, which GitLab does not retry.
        var tokenType = GitLabTokenType;
        if (reported.Exists(t => !string.Equals(t.Type, tokenType, StringComparison.Ordinal)))
        {
            return Invalid(provider, $"Only the token type '{tokenType}' is supported (GET revocable_token_types).");
        }

        var tokens = reported.ConvertAll(t => new ReportedToken(t.Token, t.Location ?? ""));
        return await RespondAsync(context, provider, body, tokens).ConfigureAwait(false) is null
            ? StoreUnavailable()
            : TypedResults.NoContent();
    }

    /// <summary>
    /// The body as a JSON array of <typeparamref name="T"/> (each member of an item checked, unknown ones ignored), at most
    /// <see cref="SecretScanningOptions.MaxMatches"/> long; otherwise the 415 or 400 to answer, which quotes nothing of it.
    /// </summary>
    private IResult? ParseList<T>(SecretScanningProvider provider, HttpContext context, byte[] body, string what, out List<T> items)
        where T : class
    {
        items = [];
        if (!IsJson(context.Request.ContentType))
        {
            return UnsupportedMediaType(provider);
        }

        List<T>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, SecretScanningJsonContext.Read<List<T>>());
        }
        catch (JsonException ex)
        {
            // The path names the offending item; the message is not used because it may quote the input.
            return Invalid(provider, $"The body is not a JSON array of {what} (at {ex.Path ?? "$"}).");
        }

        if (parsed is null || parsed.Contains(null!))
        {
            return Invalid(provider, $"The body must be a JSON array of {what}, each an object.");
        }

        if (parsed.Count > _options.MaxMatches)
        {
            return Invalid(provider, $"A request may hold at most {_options.MaxMatches} {what}.");
        }

        items = parsed;
        return null;
    }

    /// <summary>Labels and acts; null when the store failed (503: the scanner may retry, handling is idempotent).</summary>
    private async Task<bool[]?> RespondAsync(HttpContext context, SecretScanningProvider provider, byte[] body, List<ReportedToken> tokens)
    {
        var digest = provider.Name() + ":" + Convert.ToBase64String(SHA256.HashData(body));
        var replay = replays.Contains(digest);
        try
        {
            var (labels, acted) = await responder.RespondAsync(provider, tokens, replay, context.Connection.RemoteIpAddress?.ToString()).ConfigureAwait(false);
            replays.Remember(digest);
            metrics.Request(provider, replay ? "replayed" : "accepted");
            SecretScanningLog.ReportHandled(logger, provider.Name(), tokens.Count, labels.Count(l => l), acted, replay);
            return labels;
        }
#pragma warning disable CA1031 // Whatever the store throws, the scanner gets a 503 ProblemDetails, never a 500 with a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SecretScanningLog.StoreUnavailable(logger, provider.Name(), ex);
            metrics.Request(provider, "store_unavailable");
            return null;
        }
    }

    /// <summary>GitLab sends the shared secret as the whole <c>Authorization</c> value; <c>Bearer</c> is accepted too.</summary>
    private bool IsGitLab(StringValues authorization)
    {
        if (_gitLabSecretHash is null || authorization.Count != 1 || authorization[0] is not { Length: > 0 and <= 1024 } value)
        {
            return false;
        }

        var presented = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..] : value;

        // Hashes of equal length, so the comparison takes the same time whatever the presented length.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _gitLabSecretHash);
    }

    /// <summary>SHA-256 of the token's UTF-8 bytes, lower-case hex: what GitHub accepts as <c>token_hash</c>.</summary>
    internal static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool TryReadSingle(StringValues values, int maxLength, out string value)
    {
        value = values.Count == 1 ? values[0] ?? "" : "";
        return value.Length is > 0 && value.Length <= maxLength;
    }

    private static bool TryDecodeBase64(string encoded, out byte[] bytes)
    {
        var buffer = new byte[encoded.Length];
        if (Convert.TryFromBase64String(encoded, buffer, out var written) && written > 0)
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads at most <paramref name="maxBytes"/>, growing the buffer as bytes arrive (never by the claimed length alone).</summary>
    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return ([], true);
        }

        var buffer = new byte[Math.Min(maxBytes + 1, (int)(request.ContentLength ?? 16 * 1024) + 1)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    return ([], true);
                }

                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                return total > maxBytes ? ([], true) : (buffer[..total], false);
            }

            total += read;
        }
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
    }

    private IResult Refused(SecretScanningProvider provider, string outcome, string reason, IResult result)
    {
        metrics.Request(provider, outcome);
        SecretScanningLog.RequestRefused(logger, provider.Name(), reason);
        return result;
    }

    private IResult Throttled(HttpContext context, SecretScanningProvider provider, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Refused(provider, "throttled", "rate limited", TypedResults.Problem(
            detail: $"Too many requests from this address; retry after {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests"));
    }

    private IResult Unauthorized(SecretScanningProvider provider, string reason) =>
        Refused(provider, "unauthorized", reason, TypedResults.Problem(
            detail: provider == SecretScanningProvider.GitHub
                ? "The report is not signed by a known GitHub secret-scanning key."
                : "The Authorization header does not hold the shared secret.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));

    private IResult TooLarge(SecretScanningProvider provider) =>
        Refused(provider, "too_large", "body too large", TypedResults.Problem(
            detail: $"The request body must be at most {_options.MaxRequestBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large"));

    private IResult UnsupportedMediaType(SecretScanningProvider provider) =>
        Refused(provider, "unsupported_media_type", "not application/json", TypedResults.Problem(
            detail: "The request body must be application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));

    private IResult Invalid(SecretScanningProvider provider, string detail) =>
        Refused(provider, "invalid", "invalid body", TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request"));

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult StoreUnavailable() =>
        TypedResults.Problem(
            detail: "The key store is unavailable; retry later (handling a report twice changes nothing).",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
}

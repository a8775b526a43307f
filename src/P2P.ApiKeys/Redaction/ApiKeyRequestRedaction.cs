using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Redaction;

/// <summary>
/// Makes a request safe to log before anything can log it (docs/security.md rule 24): the values of query
/// parameters named in <see cref="ApiKeyOptions.RedactedQueryParameters"/> (every API-key scheme's query parameter is
/// added there when the options are built) become <see cref="Redacted"/>, and control
/// characters in the path (a decoded <c>%0D%0A</c> would start a new log line) are percent-encoded again.
/// The original query stays readable through <see cref="ApiKeyRequestExtensions.GetUnredactedQuery"/>.
/// </summary>
internal sealed class ApiKeyRequestRedaction
{
    /// <summary>What a redacted query value reads as.</summary>
    public const string Redacted = "redacted";

    private static readonly SearchValues<char> Unsafe = SearchValues.Create(BuildUnsafe());

    private readonly IOptionsMonitor<ApiKeyOptions> _options;

    public ApiKeyRequestRedaction(IOptionsMonitor<ApiKeyOptions> options) => _options = options;

    /// <summary>Redacts the request held by <paramref name="features"/> in place, before an HttpContext exists.</summary>
    public void Apply(IFeatureCollection features)
    {
        if (features.Get<IHttpRequestFeature>() is not { } request)
        {
            return;
        }

        if (request.Path.AsSpan().ContainsAny(Unsafe))
        {
            request.Path = Escape(request.Path);
        }

        if (request.PathBase.AsSpan().ContainsAny(Unsafe))
        {
            request.PathBase = Escape(request.PathBase);
        }

        var query = request.QueryString;
        string? redacted = null;
        if (query.Length > 1)
        {
            redacted = RedactQuery(query);
        }

        // Always set, so that a feature collection reused for the next request on a connection never carries
        // an earlier request's original query.
        features.Set<IUnredactedQueryFeature>(redacted is null ? null : new UnredactedQueryFeature(new QueryString(query)));
        if (redacted is null)
        {
            return;
        }

        request.QueryString = redacted;
        var raw = request.RawTarget;
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        request.RawTarget = queryStart < 0 ? raw : raw[..queryStart] + redacted;
    }

    /// <summary>The query with credential values replaced, or <see langword="null"/> when nothing needed it.</summary>
    internal string? RedactQuery(string query)
    {
        var names = _options.CurrentValue.RedactedQueryParameters;
        StringBuilder? result = null;
        var span = query.AsSpan(1);
        var position = 1;
        while (true)
        {
            var end = span.IndexOf('&');
            var pair = end < 0 ? span : span[..end];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var decoded = Uri.UnescapeDataString(name.ToString().Replace('+', ' ')).Trim();
            if (decoded.Length > 0 && names.Contains(decoded))
            {
                result ??= new StringBuilder(query, 0, position, query.Length);
                result.Append(name).Append('=').Append(Redacted);
            }
            else
            {
                result?.Append(pair);
            }

            if (end < 0)
            {
                break;
            }

            result?.Append('&');
            position += end + 1;
            span = span[(end + 1)..];
        }

        return result?.ToString();
    }

    /// <summary>Percent-encodes the characters that could start or fake a log line; leaves the rest.</summary>
    internal static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsBmp && Unsafe.Contains((char)rune.Value))
            {
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    private static string BuildUnsafe()
    {
        // C0 controls (CR, LF, TAB, ESC …), DEL, C1 controls (NEL …) and the Unicode line and paragraph
        // separators: everything a log viewer may treat as a line break or a terminal escape.
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            chars.Append(c);
        }

        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            chars.Append(c);
        }

        return chars.Append('\u2028').Append('\u2029').ToString();
    }
}

/// <summary>The query string as the client sent it, before credential values were redacted.</summary>
internal interface IUnredactedQueryFeature
{
    QueryString Query { get; }
}

internal sealed class UnredactedQueryFeature(QueryString query) : IUnredactedQueryFeature
{
    public QueryString Query { get; } = query;
}

/// <summary>
/// Redacts each request before the host creates its <see cref="HttpContext"/>, so that even the hosting
/// diagnostics' "Request starting" line, written before any middleware runs, never holds a credential.
/// </summary>
internal sealed class RedactingHttpContextFactory(IHttpContextFactory inner, ApiKeyRequestRedaction redaction) : IHttpContextFactory
{
    public HttpContext Create(IFeatureCollection featureCollection)
    {
        redaction.Apply(featureCollection);
        return inner.Create(featureCollection);
    }

    public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using P2P.ApiKeys.Redaction;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// The key a request presents, as a slice of the header value (so that <c>Authorization: ApiKey …</c> needs no
/// substring): none, one, or several (which counts as malformed).
/// </summary>
internal readonly struct PresentedApiKey
{
    private PresentedApiKey(int count, string? source, int start, int length)
    {
        Count = count;
        Source = source;
        Start = start;
        Length = length;
    }

    /// <summary>0 (no key), 1, or 2 for several.</summary>
    public int Count { get; }

    public string? Source { get; }

    public int Start { get; }

    public int Length { get; }

    public ReadOnlySpan<char> Span => Source.AsSpan(Start, Length);

    public static PresentedApiKey One(string source, int start, int length) => new(1, source, start, length);

    /// <summary>Reads the configured header, then <c>Authorization: ApiKey</c>, then the opted-in query parameter.</summary>
    public static PresentedApiKey Read(HttpRequest request, ApiKeyAuthenticationOptions options)
    {
        var presented = Single(request.Headers[options.HeaderName]);
        if (presented.Count != 0)
        {
            return presented;
        }

        if (options.AllowAuthorizationHeader)
        {
            foreach (var value in request.Headers.Authorization)
            {
                var scheme = ApiKeyDefaults.AuthorizationScheme;
                if (value is null || value.Length <= scheme.Length || value[scheme.Length] != ' ' || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // Another scheme's credentials (Bearer ...): not ours.
                }

                if (presented.Count != 0)
                {
                    return new(2, null, 0, 0);
                }

                var start = scheme.Length + 1;
                while (start < value.Length && value[start] == ' ')
                {
                    start++;
                }

                presented = One(value, start, value.Length - start);
            }

            if (presented.Count != 0)
            {
                return presented;
            }
        }

        // The value in Request.Query was redacted before anything could log it (ApiKeyRequestRedaction).
        return options.QueryParameterName is { } parameter && request.QueryString.HasValue
            ? Single(request.GetUnredactedQuery()[parameter])
            : default;
    }

    private static PresentedApiKey Single(StringValues values) =>
        values.Count > 1 ? new(2, null, 0, 0)
        : values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? One(values[0]!, 0, values[0]!.Length)
        : default;
}

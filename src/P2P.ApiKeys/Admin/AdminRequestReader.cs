using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Reads admin request bodies itself, so that every failure is a ProblemDetails whatever the host's settings:
/// wrong content type 415, too large 413, malformed JSON or unknown fields 400. Values are never echoed.
/// </summary>
internal static class AdminRequestReader
{
    /// <summary>Strict JSON: exact snake_case names, no unknown or duplicate members, numbers as numbers.</summary>
    public static readonly JsonSerializerOptions StrictJson = new(JsonSerializerDefaults.General)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    /// <summary>Reads a JSON body of at most <see cref="AdminEndpointOptions.MaxRequestBodyBytes"/>; an empty body is an error unless <paramref name="allowEmpty"/>.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Error)> ReadJsonAsync<T>(HttpContext context, bool allowEmpty = false)
        where T : class
    {
        var maxBytes = MaxBytes(context);
        var request = context.Request;
        var hasContentType = !string.IsNullOrEmpty(request.ContentType);
        if (hasContentType && !IsMediaType(request.ContentType, "application/json"))
        {
            return (null, UnsupportedMediaType("application/json"));
        }

        var (body, tooLarge) = await ReadBoundedAsync(request, maxBytes).ConfigureAwait(false);
        if (tooLarge)
        {
            return (null, TooLarge(maxBytes));
        }

        if (body.Length == 0)
        {
            return allowEmpty ? (null, null) : (null, hasContentType ? Invalid("The request body is empty.") : UnsupportedMediaType("application/json"));
        }

        if (!hasContentType)
        {
            return (null, UnsupportedMediaType("application/json"));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, StrictJson);
            return value is null ? (null, Invalid("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            // The path names the offending member; the message is not used because it may quote input.
            return (null, Invalid($"The request body is not valid JSON for this endpoint (at {ex.Path ?? "$"})."));
        }
    }

    public static async Task<(Dictionary<string, StringValues>? Form, ProblemHttpResult? Error)> ReadFormAsync(HttpContext context)
    {
        var maxBytes = MaxBytes(context);
        var request = context.Request;
        if (!IsMediaType(request.ContentType, "application/x-www-form-urlencoded"))
        {
            return (null, UnsupportedMediaType("application/x-www-form-urlencoded"));
        }

        var (body, tooLarge) = await ReadBoundedAsync(request, maxBytes).ConfigureAwait(false);
        if (tooLarge)
        {
            return (null, TooLarge(maxBytes));
        }

        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            using var reader = new FormReader(text) { ValueCountLimit = 16, KeyLengthLimit = 64, ValueLengthLimit = maxBytes };
            return (reader.ReadForm(), null);
        }
        catch (Exception ex) when (ex is DecoderFallbackException or InvalidDataException)
        {
            return (null, Invalid("The form body is malformed."));
        }
    }

    private static int MaxBytes(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Endpoints.MaxRequestBodyBytes;

    public static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static ProblemHttpResult UnsupportedMediaType(string expected) =>
        TypedResults.Problem(detail: $"The request body must be {expected}.", statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem(detail: $"The request body must be at most {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large");

    private static bool IsMediaType(string? contentType, string expected) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<(byte[] Body, bool TooLarge)> ReadBoundedAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return ([], true);
        }

        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length
            && (read = await request.Body.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > maxBytes ? ([], true) : (buffer[..total], false);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace P2P.ApiKeys.Admin;

/// <summary>Checks on admin input that the stores' own limits do not cover: text, ids, paging.</summary>
internal static class AdminInput
{
    public const int DefaultPageSize = 50;

    /// <summary>
    /// True when <paramref name="value"/> holds a control, format (bidi overrides, zero-width) or line/paragraph
    /// separator character: these can hide text in logs and dashboards.
    /// </summary>
    public static bool HasHiddenCharacters(string value) => Management.ApiKeyRules.HasHiddenCharacters(value);

    public static bool TryParseId(string? id, out Guid value) =>
        Guid.TryParseExact(id, "D", out value) || Guid.TryParseExact(id, "N", out value);

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(detail: $"No {what} has that id.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>Reads <c>page</c> (from 1) and <c>page_size</c> (capped at <paramref name="maxPageSize"/>).</summary>
    public static bool TryReadPage(HttpRequest request, int maxPageSize, out int page, out int pageSize, out ValidationProblem? error)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        page = 1;
        pageSize = Math.Min(DefaultPageSize, maxPageSize);
        var rawPage = request.Query["page"];
        var rawSize = request.Query["page_size"];
        if (rawPage.Count > 0 && (!int.TryParse(rawPage.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            errors["page"] = ["page must be a whole number of at least 1."];
        }

        if (rawSize.Count > 0)
        {
            if (!int.TryParse(rawSize.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1)
            {
                errors["page_size"] = ["page_size must be a whole number of at least 1."];
            }

            // The server enforces its maximum: a larger request gets the largest page allowed.
            pageSize = Math.Min(pageSize, maxPageSize);
        }

        error = errors.Count == 0 ? null : TypedResults.ValidationProblem(errors);
        return error is null;
    }

    public static int Skip(int page, int pageSize) => (int)Math.Min(int.MaxValue, ((long)page - 1) * pageSize);
}

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Admin;

/// <summary>Reads what the admin routes take from the URL: ids and paging. The rules on the values live in the managers.</summary>
internal static class AdminInput
{
    /// <summary>The only id format a route accepts: 36 characters, <c>D</c> format.</summary>
    private const int IdLength = 36;

    /// <summary>
    /// Parses a route id exactly: 36 characters in <c>D</c> format and nothing else (docs/security.md rule 29). <see cref="Guid.TryParseExact(string?, string?, out Guid)"/>
    /// alone trims white space (Unicode white space included), which would make <c>%20{id}</c> or <c>{id}%C2%A0</c> an
    /// alias of the key; the length check comes first so that no padding survives.
    /// </summary>
    public static bool TryParseId(string? id, out Guid value)
    {
        value = default;
        return id is { Length: IdLength } && !char.IsWhiteSpace(id[0]) && !char.IsWhiteSpace(id[^1])
            && Guid.TryParseExact(id, "D", out value);
    }

    /// <summary>Reads <c>page</c> and <c>page_size</c> as whole numbers; the range rule is <c>Paging.Check</c>, applied by the caller.</summary>
    public static bool TryReadPage(HttpRequest request, out int page, out int pageSize, Dictionary<string, string[]> errors)
    {
        page = 1;
        pageSize = Management.Paging.DefaultPageSize;
        var rawPage = request.Query["page"];
        var rawSize = request.Query["page_size"];
        if (rawPage.Count > 0 && !int.TryParse(rawPage.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out page))
        {
            errors["page"] = ["page must be a whole number of at least 1."];
        }

        if (rawSize.Count > 0 && !int.TryParse(rawSize.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize))
        {
            errors["page_size"] = ["page_size must be a whole number of at least 1."];
        }

        return errors.Count == 0;
    }
}

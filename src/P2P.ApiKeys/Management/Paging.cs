namespace P2P.ApiKeys.Management;

/// <summary>
/// The one page-size rule of every list (keys, admins, the audit trail): pages from 1, at least one item per page,
/// and at most <see cref="ApiKeyOptions.MaxPageSize"/> — a larger page size gets the largest page allowed.
/// </summary>
internal static class Paging
{
    public const int DefaultPageSize = 50;

    /// <summary>Checks <paramref name="page"/> and <paramref name="pageSize"/>; the page size in force, capped at <paramref name="maxPageSize"/>.</summary>
    public static int Check(int page, int pageSize, int maxPageSize, Dictionary<string, string[]> errors)
    {
        if (page < 1)
        {
            errors["page"] = ["page must be a whole number of at least 1."];
        }

        if (pageSize < 1)
        {
            errors["page_size"] = ["page_size must be a whole number of at least 1."];
        }

        return Math.Clamp(pageSize, 1, Math.Max(1, maxPageSize));
    }

    public static int Skip(int page, int pageSize) => (int)Math.Min(int.MaxValue, ((long)page - 1) * pageSize);
}

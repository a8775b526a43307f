namespace AdminApi.Procurement;

/// <summary>Paging and ordering shared by every list, already validated.</summary>
internal sealed record ListQuery(int Page, int PageSize, string Sort, bool Descending, DateOnly? From, DateOnly? To)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static readonly IReadOnlyList<string> Orders = ["asc", "desc"];

    public static ListQuery Read(
        QueryValueReader reader,
        string? page,
        string? pageSize,
        string? sort,
        string? order,
        IReadOnlyList<string> sorts,
        string defaultOrder,
        string? from = null,
        string? to = null)
    {
        var fromDate = reader.Date("from", from);
        var toDate = reader.Date("to", to);
        reader.DateRange("from", fromDate, "to", toDate);
        return new ListQuery(
            reader.Integer("page", page, 1, 1, int.MaxValue),
            reader.Integer("pageSize", pageSize, DefaultPageSize, 1, MaxPageSize),
            reader.Choice("sort", sort, sorts[0], sorts),
            reader.Choice("order", order, defaultOrder, Orders) == "desc",
            fromDate,
            toDate);
    }

    public bool InRange(DateOnly date) => (From is null || date >= From) && (To is null || date <= To);

    public PagedResult<T> ToPage<T>(IEnumerable<T> sorted)
    {
        var all = sorted as IReadOnlyCollection<T> ?? sorted.ToArray();

        // long arithmetic: page=2147483647 must give an empty page, not an overflow.
        var skip = ((long)Page - 1) * PageSize;
        var items = skip >= all.Count ? [] : all.Skip((int)skip).Take(PageSize).ToArray();
        return new PagedResult<T>(items, Page, PageSize, all.Count);
    }
}

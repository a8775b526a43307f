namespace AdminApi.Procurement;

/// <summary>One page of a list: the same shape as the admin lists (<c>items</c>, <c>page</c>, <c>page_size</c>, <c>total</c>).</summary>
/// <param name="Total">Items matching the filters, over all pages.</param>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

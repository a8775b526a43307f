namespace AdminApi.Procurement;

/// <summary>One page of a list.</summary>
/// <param name="TotalCount">Items matching the filters, over all pages.</param>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

namespace P2P.Dashboard.Api;

/// <summary>The paging facts of a list answer, whatever its items, for the pager.</summary>
public interface IPagedResult
{
    int Page { get; }
    int PageSize { get; }
    int Total { get; }
    int PageCount { get; }
}

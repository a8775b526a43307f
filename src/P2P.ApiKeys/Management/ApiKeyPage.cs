using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys;

/// <summary>One page of keys from <see cref="IApiKeyManager.ListAsync"/>.</summary>
public sealed class ApiKeyPage
{
    /// <summary>Creates the page.</summary>
    /// <param name="items">The keys of this page.</param>
    /// <param name="total">How many keys pass the filter, on every page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size in force (the requested one, capped at <see cref="ApiKeyOptions.MaxPageSize"/>).</param>
    public ApiKeyPage(IReadOnlyList<ApiKeyRecord> items, long total, int page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        Total = total;
        Page = page;
        PageSize = pageSize;
    }

    /// <summary>The keys of this page, newest first.</summary>
    public IReadOnlyList<ApiKeyRecord> Items { get; }

    /// <summary>How many keys pass the filter, on every page.</summary>
    public long Total { get; }

    /// <summary>The page number, from 1.</summary>
    public int Page { get; }

    /// <summary>The page size in force: the requested one, capped at <see cref="ApiKeyOptions.MaxPageSize"/>.</summary>
    public int PageSize { get; }
}

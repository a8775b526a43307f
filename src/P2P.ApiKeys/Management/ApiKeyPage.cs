using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>One page of keys from <see cref="IApiKeyManager.ListAsync"/>.</summary>
public sealed class ApiKeyPage
{
    /// <summary>Creates the page.</summary>
    public ApiKeyPage(IReadOnlyList<ApiKeyRecord> items, long total)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        Total = total;
    }

    /// <summary>The keys of this page, newest first.</summary>
    public IReadOnlyList<ApiKeyRecord> Items { get; }

    /// <summary>How many keys pass the filter, on every page.</summary>
    public long Total { get; }
}

using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin;

/// <summary>One page of a list: keys, admins or audit entries.</summary>
/// <typeparam name="T">The type of the items.</typeparam>
public sealed class PagedResponse<T>
{
    /// <summary>The items of this page.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<T> Items { get; init; } = [];

    /// <summary>The page number, from 1.</summary>
    [JsonPropertyName("page")]
    public int Page { get; init; }

    /// <summary>The largest number of items a page holds: the requested one, capped by the server.</summary>
    [JsonPropertyName("page_size")]
    public int PageSize { get; init; }

    /// <summary>The number of items on all pages.</summary>
    [JsonPropertyName("total")]
    public long Total { get; init; }
}

using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Audit;

/// <summary>One page of the audit trail, newest first, and where the next one starts.</summary>
public sealed class AdminAuditPageResponse
{
    /// <summary>The entries of this page.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<AdminAuditEntryResponse> Items { get; init; } = [];

    /// <summary>The page number, from 1 (always 1 when the page was asked for by <c>cursor</c> or filters).</summary>
    [JsonPropertyName("page")]
    public int Page { get; init; }

    /// <summary>The largest number of entries a page holds: the requested one, capped by the server.</summary>
    [JsonPropertyName("page_size")]
    public int PageSize { get; init; }

    /// <summary>The number of entries on all pages; only without filters or cursor (counting a filtered trail is not free).</summary>
    [JsonPropertyName("total")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Total { get; init; }

    /// <summary>Pass as <c>cursor</c> (with the same filters) for the next page; <see langword="null"/> on the last page.</summary>
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; init; }
}

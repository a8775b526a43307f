using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>The usage of every key of one owner over a range, read in one query: per key (keys without requests left out), and the total.</summary>
public sealed class ApiKeyOwnerUsageReport
{
    /// <summary>The owner.</summary>
    [JsonPropertyName("owner")]
    public string Owner { get; init; } = "";

    /// <summary>Hourly or daily buckets.</summary>
    [JsonPropertyName("granularity")]
    public ApiKeyUsageGranularity Granularity { get; init; }

    /// <summary>The start of the range, on a bucket boundary.</summary>
    [JsonPropertyName("from")]
    public DateTimeOffset From { get; init; }

    /// <summary>The end of the range (exclusive), on a bucket boundary.</summary>
    [JsonPropertyName("to")]
    public DateTimeOffset To { get; init; }

    /// <summary>Each key with requests in the range, with its buckets that have requests.</summary>
    [JsonPropertyName("keys")]
    public IReadOnlyList<ApiKeyUsageReport> Keys { get; init; } = [];

    /// <summary>All of the owner's keys over the whole range; its clients are distinct over every key.</summary>
    [JsonPropertyName("total")]
    public ApiKeyUsageBucket Total { get; init; } = new();
}

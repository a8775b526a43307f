using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>One key's usage over a range: a bucket per hour or day (empty ones included), and the total.</summary>
public sealed class ApiKeyUsageReport
{
    /// <summary>The key.</summary>
    [JsonPropertyName("key_id")]
    public Guid KeyId { get; init; }

    /// <summary>Hourly or daily buckets.</summary>
    [JsonPropertyName("granularity")]
    public ApiKeyUsageGranularity Granularity { get; init; }

    /// <summary>The start of the range, on a bucket boundary.</summary>
    [JsonPropertyName("from")]
    public DateTimeOffset From { get; init; }

    /// <summary>The end of the range (exclusive), on a bucket boundary.</summary>
    [JsonPropertyName("to")]
    public DateTimeOffset To { get; init; }

    /// <summary>The buckets, oldest first; in a key's own report every bucket of the range, in an owner's report only those with requests.</summary>
    [JsonPropertyName("buckets")]
    public IReadOnlyList<ApiKeyUsageBucket> Buckets { get; init; } = [];

    /// <summary>The whole range; its clients are the distinct clients of the range, not a sum.</summary>
    [JsonPropertyName("total")]
    public ApiKeyUsageBucket Total { get; init; } = new();
}

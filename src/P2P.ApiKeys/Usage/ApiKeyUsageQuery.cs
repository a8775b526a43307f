using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// The range and granularity of a usage report. <see cref="From"/> is rounded down and <see cref="To"/> up to whole
/// buckets; without them the report covers the last 24 hours (hourly) or the last 30 days (daily), up to now.
/// </summary>
public sealed class ApiKeyUsageQuery
{
    /// <summary>The start of the range; <see langword="null"/> for the default.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The end of the range (exclusive once rounded up); <see langword="null"/> for now.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Hourly or daily buckets.</summary>
    public ApiKeyUsageGranularity Granularity { get; init; } = ApiKeyUsageGranularity.Hour;
}

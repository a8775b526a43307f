namespace P2P.ApiKeys.Usage;

/// <summary>
/// Usage history: per key, hourly and daily counts by outcome and distinct clients, counted in memory and written to
/// the <see cref="Stores.IApiKeyUsageStore"/> in batches.
/// </summary>
public sealed class ApiKeyUsageHistoryOptions
{
    /// <summary>Whether requests are counted at all. With no usage store registered nothing is counted either.</summary>
    /// <remarks>Defaults to <see langword="true"/>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the counts kept in memory are added to the store (and, when the host stops, once more).</summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long hourly buckets are kept; older ones are deleted (the daily buckets keep their sums).</summary>
    /// <remarks>Defaults to 30 days.</remarks>
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long daily buckets are kept.</summary>
    /// <remarks>Defaults to 400 days.</remarks>
    public TimeSpan DayRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Most buckets one delete statement of the pruning removes.</summary>
    /// <remarks>Defaults to 1,000.</remarks>
    public int PruneBatchSize { get; set; } = 1_000;

    /// <summary>Longest span one usage query may cover, in hours for an hourly query; a daily query may cover <see cref="DayRetention"/>.</summary>
    /// <remarks>Defaults to 31 days.</remarks>
    public TimeSpan MaxHourlyRange { get; set; } = TimeSpan.FromDays(31);
}

namespace P2P.ApiKeys.RateLimiting;

/// <summary>What a key lineage has used of its quota in one period, as <see cref="IApiKeyQuotaCountStore"/> keeps it.</summary>
public sealed class ApiKeyQuotaCount
{
    /// <summary>Creates a count.</summary>
    /// <param name="lineageId">The budget: the keys' <see cref="Stores.ApiKeyRecord.LineageId"/>.</param>
    /// <param name="periodStart">The start of the period counted in.</param>
    /// <param name="periodEnd">The end of the period counted in.</param>
    /// <param name="count">Cost units used in the period.</param>
    public ApiKeyQuotaCount(Guid lineageId, DateTimeOffset periodStart, DateTimeOffset periodEnd, long count)
    {
        LineageId = lineageId;
        PeriodStart = periodStart;
        PeriodEnd = periodEnd;
        Count = count;
    }

    /// <summary>The budget: the keys' lineage id.</summary>
    public Guid LineageId { get; }

    /// <summary>The start of the period counted in.</summary>
    public DateTimeOffset PeriodStart { get; }

    /// <summary>The end of the period counted in.</summary>
    public DateTimeOffset PeriodEnd { get; }

    /// <summary>Cost units used in the period.</summary>
    public long Count { get; }
}

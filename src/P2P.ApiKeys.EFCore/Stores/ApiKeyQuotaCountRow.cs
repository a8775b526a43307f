namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>One row of <c>p2p_api_key_quota_counts</c>: what a key lineage used of its quota in one period.</summary>
internal sealed class ApiKeyQuotaCountRow
{
    public Guid LineageId { get; set; }

    public DateTimeOffset PeriodStart { get; set; }

    public DateTimeOffset PeriodEnd { get; set; }

    public long Count { get; set; }
}

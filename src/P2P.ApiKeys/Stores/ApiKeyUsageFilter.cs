namespace P2P.ApiKeys.Stores;

/// <summary>
/// Which usage buckets <see cref="IApiKeyUsageStore.ListAsync"/> returns: one granularity, starts in
/// [<see cref="From"/>, <see cref="To"/>), and at most one of a key, a lineage or an owner (none: every key).
/// </summary>
public sealed class ApiKeyUsageFilter
{
    /// <summary>Only the buckets of this key.</summary>
    public Guid? KeyId { get; init; }

    /// <summary>Only the buckets of the keys of this lineage.</summary>
    public Guid? LineageId { get; init; }

    /// <summary>Only the buckets of this owner's keys.</summary>
    public string? Owner { get; init; }

    /// <summary>Hours or days.</summary>
    public ApiKeyUsageGranularity Granularity { get; init; }

    /// <summary>The earliest bucket start included.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>The first bucket start excluded.</summary>
    public DateTimeOffset To { get; init; }
}

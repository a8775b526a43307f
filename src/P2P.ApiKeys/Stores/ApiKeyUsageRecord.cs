namespace P2P.ApiKeys.Stores;

/// <summary>
/// The requests of one key in one UTC hour or day, by outcome, and an estimate of its distinct client addresses. Nodes
/// write increments (<see cref="IApiKeyUsageStore.AddAsync"/>): the counts of a bucket are sums over every node and
/// flush, its client sketch the union of theirs.
/// </summary>
public sealed class ApiKeyUsageRecord
{
    /// <summary>The key the requests presented.</summary>
    public Guid KeyId { get; set; }

    /// <summary>The key's lineage (itself and the replacements its rotations made).</summary>
    public Guid LineageId { get; set; }

    /// <summary>Who the key was issued for, when known; what the per-owner report reads.</summary>
    public string? Owner { get; set; }

    /// <summary>Whether <see cref="Start"/> begins an hour or a day.</summary>
    public ApiKeyUsageGranularity Granularity { get; set; }

    /// <summary>The start of the bucket, UTC, on the hour (or at midnight for a day).</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>Requests admitted by the key's limits: the endpoint ran.</summary>
    public long Allowed { get; set; }

    /// <summary>Requests refused by the key's rate limit (429).</summary>
    public long RateLimited { get; set; }

    /// <summary>Requests refused by the key's quota (429).</summary>
    public long QuotaExhausted { get; set; }

    /// <summary>Requests of the valid key refused for a missing scope (403).</summary>
    public long Forbidden { get; set; }

    /// <summary>Requests of the known key (its secret matched) refused because it was revoked, expired, disabled or its rotation grace ended (401).</summary>
    public long Refused { get; set; }

    /// <summary>
    /// The estimated number of distinct client addresses, read from <see cref="ClientSketch"/> (see
    /// <see cref="ApiKeyClientSketch"/>); the store computes it when it merges an increment, the writer's value is ignored.
    /// </summary>
    public long Clients { get; set; }

    /// <summary>The client addresses as an <see cref="ApiKeyClientSketch"/> (<see cref="ApiKeyClientSketch.Size"/> bytes).</summary>
    public byte[] ClientSketch { get; set; } = [];

    /// <summary>Every request counted in the bucket, whatever its outcome.</summary>
    public long Total => Allowed + RateLimited + QuotaExhausted + Forbidden + Refused;
}

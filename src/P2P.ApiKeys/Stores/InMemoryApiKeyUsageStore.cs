namespace P2P.ApiKeys.Stores;

/// <summary>Thread-safe, process-local <see cref="IApiKeyUsageStore"/> for tests, demos and single-node hosts.</summary>
internal sealed class InMemoryApiKeyUsageStore : IApiKeyUsageStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid KeyId, ApiKeyUsageGranularity Granularity, long Start), ApiKeyUsageRecord> _buckets = [];

    public ValueTask AddAsync(IReadOnlyCollection<ApiKeyUsageRecord> increments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(increments);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var increment in increments)
            {
                var id = (increment.KeyId, increment.Granularity, increment.Start.UtcTicks);
                if (!_buckets.TryGetValue(id, out var bucket))
                {
                    bucket = new ApiKeyUsageRecord
                    {
                        KeyId = increment.KeyId,
                        LineageId = increment.LineageId,
                        Owner = increment.Owner,
                        Granularity = increment.Granularity,
                        Start = increment.Start.ToUniversalTime(),
                        ClientSketch = ApiKeyClientSketch.Create(),
                    };
                    _buckets.Add(id, bucket);
                }

                bucket.Allowed += increment.Allowed;
                bucket.RateLimited += increment.RateLimited;
                bucket.QuotaExhausted += increment.QuotaExhausted;
                bucket.Forbidden += increment.Forbidden;
                bucket.Refused += increment.Refused;
                ApiKeyClientSketch.Merge(bucket.ClientSketch, increment.ClientSketch);
                bucket.Clients = ApiKeyClientSketch.Estimate(bucket.ClientSketch);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ApiKeyUsageRecord>> ListAsync(ApiKeyUsageFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ApiKeyUsageRecord> found = [.. _buckets.Values
                .Where(b => b.Granularity == filter.Granularity && b.Start >= filter.From && b.Start < filter.To
                    && (filter.KeyId is not { } keyId || b.KeyId == keyId)
                    && (filter.LineageId is not { } lineageId || b.LineageId == lineageId)
                    && (filter.Owner is null || string.Equals(b.Owner, filter.Owner, StringComparison.Ordinal)))
                .OrderBy(b => b.KeyId)
                .ThenBy(b => b.Start)
                .Select(Copy)];
            return ValueTask.FromResult(found);
        }
    }

    public ValueTask<int> PruneAsync(ApiKeyUsageGranularity granularity, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var old = _buckets.Where(b => b.Key.Granularity == granularity && b.Value.Start < before).Take(batchSize).Select(b => b.Key).ToList();
            old.ForEach(id => _buckets.Remove(id));
            return ValueTask.FromResult(old.Count);
        }
    }

    private static ApiKeyUsageRecord Copy(ApiKeyUsageRecord b) => new()
    {
        KeyId = b.KeyId,
        LineageId = b.LineageId,
        Owner = b.Owner,
        Granularity = b.Granularity,
        Start = b.Start,
        Allowed = b.Allowed,
        RateLimited = b.RateLimited,
        QuotaExhausted = b.QuotaExhausted,
        Forbidden = b.Forbidden,
        Refused = b.Refused,
        Clients = b.Clients,
        ClientSketch = (byte[])b.ClientSketch.Clone(),
    };
}

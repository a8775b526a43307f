using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.TestSupport;

/// <summary>The real in-memory store, counting lookups and able to act like a database that is down.</summary>
internal sealed class CountingApiKeyStore(IApiKeyStore inner) : IApiKeyStore
{
    private int _lookups;
    private int _usageWrites;
    private int _usageAttempts;

    public int Lookups => Volatile.Read(ref _lookups);

    public int UsageWrites => Volatile.Read(ref _usageWrites);

    /// <summary>Calls to <see cref="RecordUsageAsync"/>, failed ones included.</summary>
    public int UsageAttempts => Volatile.Read(ref _usageAttempts);

    public List<IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>>> UsageBatches { get; } = [];

    /// <summary>When set, every call throws, like a store whose database is unreachable.</summary>
    public Exception? Failure { get; set; }

    public ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        ThrowIfFailing();
        return inner.FindByLookupIdAsync(lookupId, cancellationToken);
    }

    public ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken) => inner.FindByIdAsync(id, cancellationToken);

    public ValueTask CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) => inner.CreateAsync(key, cancellationToken);

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    public IAsyncEnumerable<ApiKeyRecord> ListAsync(int skip, int take, CancellationToken cancellationToken) => inner.ListAsync(skip, take, cancellationToken);

    public ValueTask<bool> RevokeAsync(Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken) => inner.RevokeAsync(id, revokedAt, cancellationToken);

    public ValueTask<bool> RotateAsync(Guid id, DateTimeOffset revokedAt, ApiKeyRecord replacement, CancellationToken cancellationToken) =>
        inner.RotateAsync(id, revokedAt, replacement, cancellationToken);

    public ValueTask<bool> UpdateLimitsAsync(Guid id, P2P.ApiKeys.RateLimiting.ApiKeyRateLimit? rateLimit, P2P.ApiKeys.RateLimiting.ApiKeyQuota? quota, CancellationToken cancellationToken) =>
        inner.UpdateLimitsAsync(id, rateLimit, quota, cancellationToken);

    public ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _usageAttempts);
        ThrowIfFailing();
        Interlocked.Increment(ref _usageWrites);
        lock (UsageBatches)
        {
            UsageBatches.Add([.. lastUsed]);
        }

        return inner.RecordUsageAsync(lastUsed, cancellationToken);
    }

    private void ThrowIfFailing()
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}

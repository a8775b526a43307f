using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.TestSupport;

/// <summary>The real in-memory store, counting lookups and able to act like a database that is down.</summary>
internal sealed class CountingApiKeyStore(IApiKeyStore inner) : IApiKeyStore
{
    private int _lookups;
    private int _calls;
    private int _usageWrites;
    private int _usageAttempts;

    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>Calls to any method of the store.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public int UsageWrites => Volatile.Read(ref _usageWrites);

    /// <summary>Calls to <see cref="RecordUsageAsync"/>, failed ones included.</summary>
    public int UsageAttempts => Volatile.Read(ref _usageAttempts);

    public List<IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>>> UsageBatches { get; } = [];

    /// <summary>When set, every call throws, like a store whose database is unreachable.</summary>
    public Exception? Failure { get; set; }

    public ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        Interlocked.Increment(ref _calls);
        ThrowIfFailing();
        return inner.FindByLookupIdAsync(lookupId, cancellationToken);
    }

    /// <summary>
    /// Runs (once, then clears itself) before the next <see cref="FindByIdAsync"/> reads: lets a test commit another
    /// change between a caller's earlier steps and its read, deterministically.
    /// </summary>
    public Func<Task>? BeforeNextFindById
    {
        get => Volatile.Read(ref _beforeNextFindById);
        set => Volatile.Write(ref _beforeNextFindById, value);
    }

    private Func<Task>? _beforeNextFindById;

    public async ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Interlocked.Exchange(ref _beforeNextFindById, null) is { } before)
        {
            await before().ConfigureAwait(false);
        }

        return await inner.FindByIdAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.CreateAsync(key, cancellationToken);
    }

    public ValueTask<long> CountAsync(ApiKeyFilter filter, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.CountAsync(filter, cancellationToken);
    }

    public IAsyncEnumerable<ApiKeyRecord> ListAsync(ApiKeyFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.ListAsync(filter, skip, take, cancellationToken);
    }

    public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.UpdateAsync(key, cancellationToken);
    }

    public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.RotateAsync(key, replacement, cancellationToken);
    }

    public ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
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

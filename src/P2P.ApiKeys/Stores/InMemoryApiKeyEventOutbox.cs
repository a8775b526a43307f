namespace P2P.ApiKeys.Stores;

/// <summary>Thread-safe, process-local <see cref="IApiKeyEventOutbox"/>; the in-memory key store adds rows under its own lock.</summary>
internal sealed class InMemoryApiKeyEventOutbox : IApiKeyEventOutbox
{
    private readonly Lock _gate = new();
    private readonly List<ApiKeyEventRecord> _rows = [];

    /// <summary>Adds rows at once (the key store calls it while it holds the change's lock).</summary>
    internal void Add(IReadOnlyList<ApiKeyEventRecord> rows)
    {
        lock (_gate)
        {
            _rows.AddRange(rows.Select(r => r.Clone()));
        }
    }

    /// <summary>Every row, for tests.</summary>
    internal IReadOnlyList<ApiKeyEventRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _rows.Select(r => r.Clone())];
        }
    }

    public Task<IReadOnlyList<ApiKeyEventRecord>> ClaimAsync(string node, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var claimed = _rows
                .Where(r => r.DeliveredAt is null && r.FailedAt is null && r.NextAttemptAt <= now && (r.LeaseUntil is null || r.LeaseUntil <= now))
                .OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id)
                .Take(max)
                .ToList();
            foreach (var row in claimed)
            {
                row.LeaseOwner = node;
                row.LeaseUntil = leaseUntil;
            }

            return Task.FromResult<IReadOnlyList<ApiKeyEventRecord>>([.. claimed.Select(r => r.Clone())]);
        }
    }

    public Task<bool> CompleteAsync(ApiKeyEventRecord row, string node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var stored = _rows.Find(r => r.Id == row.Id);
            if (stored is null || !string.Equals(stored.LeaseOwner, node, StringComparison.Ordinal) || stored.LeaseUntil != row.LeaseUntil)
            {
                return Task.FromResult(false);
            }

            stored.Attempts = row.Attempts;
            stored.NextAttemptAt = row.NextAttemptAt;
            stored.DeliveredAt = row.DeliveredAt;
            stored.FailedAt = row.FailedAt;
            stored.LeaseOwner = null;
            stored.LeaseUntil = null;
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryAddAsync(ApiKeyEventRecord row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        lock (_gate)
        {
            if (_rows.Exists(r => r.Id == row.Id))
            {
                return Task.FromResult(false);
            }

            _rows.Add(row.Clone());
            return Task.FromResult(true);
        }
    }

    public Task<int> PruneAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var finished = _rows
                .Where(r => r.DeliveredAt < before || r.FailedAt < before)
                .OrderBy(r => r.Id)
                .Take(max)
                .ToHashSet();
            return Task.FromResult(_rows.RemoveAll(finished.Contains));
        }
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_rows.Count(r => r.DeliveredAt is null && r.FailedAt is null));
        }
    }
}

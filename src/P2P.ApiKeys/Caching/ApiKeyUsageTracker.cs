using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Caching;

/// <summary>
/// Last-used bookkeeping without a store write per request: successful verifications only update the
/// latest time per key in memory, and <see cref="FlushAsync"/> (called by the flush service once per
/// <see cref="ApiKeyOptions.LastUsedFlushInterval"/> and at shutdown) writes them in one batch.
/// </summary>
/// <remarks>
/// <see cref="IApiKeyStore.RecordUsageAsync"/> touches only the last-used column and only moves it forward,
/// so a flush can never undo a revocation or an expiry that happened in between.
/// </remarks>
internal sealed class ApiKeyUsageTracker(IServiceScopeFactory scopeFactory, ILogger<ApiKeyUsageTracker> logger) : IDisposable
{
    // UTC ticks, so that an update is a compare-exchange on a long and allocates nothing.
    private readonly ConcurrentDictionary<Guid, long> _pending = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>Keys waiting for the next flush; for tests and diagnostics.</summary>
    public int PendingCount => _pending.Count;

    public void Record(Guid keyId, DateTimeOffset usedAt)
    {
        var ticks = usedAt.UtcTicks;
        while (true)
        {
            if (_pending.TryGetValue(keyId, out var current))
            {
                if (current >= ticks || _pending.TryUpdate(keyId, ticks, current))
                {
                    return;
                }
            }
            else if (_pending.TryAdd(keyId, ticks))
            {
                return;
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pending.IsEmpty)
            {
                return;
            }

            var batch = new List<KeyValuePair<Guid, DateTimeOffset>>(_pending.Count);
            foreach (var keyId in _pending.Keys)
            {
                if (_pending.TryRemove(keyId, out var ticks))
                {
                    batch.Add(new(keyId, new DateTimeOffset(ticks, TimeSpan.Zero)));
                }
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                // The store may be scoped (EF Core): one scope per flush.
                var scope = scopeFactory.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    var store = scope.ServiceProvider.GetRequiredService<IApiKeyStore>();
                    await store.RecordUsageAsync(batch, cancellationToken).ConfigureAwait(false);
                }

                ApiKeyLog.UsageFlushed(logger, batch.Count);
            }
#pragma warning disable CA1031 // A failed flush must not stop the service; the times are kept for the next one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var (keyId, usedAt) in batch)
                {
                    Record(keyId, usedAt);
                }

                if (ex is not OperationCanceledException)
                {
                    ApiKeyLog.UsageFlushFailed(logger, batch.Count, ex);
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    public void Dispose() => _flushGate.Dispose();
}

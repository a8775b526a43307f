using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// Last-used bookkeeping without a store write per request, an observer of the seam: each verified key only updates
/// the latest time per key in memory, and <see cref="FlushAsync"/> (called by the flush service once per
/// <see cref="ApiKeyOptions.LastUsedFlushInterval"/> and at shutdown) writes them in one batch.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IApiKeyStore.RecordUsageAsync"/> touches only the last-used column and only moves it forward,
/// so a flush can never undo a revocation or an expiry that happened in between.
/// </para>
/// <para>
/// Precision is <see cref="Precision"/> (one second): a use within a second after the time already waiting
/// for the key is not written down, so the hot path for a busy key is a lock-free read of the time waiting and
/// no write at all; at most one write per key per second reaches shared state. The time written is always the
/// exact time of a request, at most one second before the key's latest use.
/// </para>
/// <para>
/// Memory is bounded like the verification cache's: when the keys waiting reach
/// <see cref="ApiKeyOptions.CacheSizeLimit"/>, the tracker asks the flush service for an early flush instead of
/// growing for the rest of the interval. A failed flush keeps its times and waits for the next interval, so a
/// store outage never turns into a tight retry loop.
/// </para>
/// </remarks>
#pragma warning disable CA1001 // See _flushGate: not disposing it is deliberate.
internal sealed class ApiKeyUsageTracker(IApiKeyStore store, IOptions<ApiKeyOptions> options, ILogger<ApiKeyUsageTracker> logger) : IApiKeyOutcomeObserver
#pragma warning restore CA1001
{
    // UTC ticks, so that an update is a compare-exchange on a long and allocates nothing.
    private readonly ConcurrentDictionary<Guid, long> _pending = new();
    private readonly int _earlyFlushAt = options.Value.CacheSizeLimit;
    // Kept beside the dictionary because ConcurrentDictionary.Count takes every lock: too dear per request.
    private int _pendingCount;
    private int _completedFlushes;
    // Holds at most one early-flush request; further requests while one waits are dropped.
    private readonly Channel<bool> _earlyFlushRequests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    // Never disposed on purpose: the host may dispose the container while the final flush of a stopping
    // host still waits here; SemaphoreSlim holds no unmanaged handle unless AvailableWaitHandle is used.
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>How stale a last-used time may be: uses closer than this to the time waiting are not recorded.</summary>
    public static readonly TimeSpan Precision = TimeSpan.FromTicks(PrecisionTicks);

    private const long PrecisionTicks = TimeSpan.TicksPerSecond;

    /// <summary>Keys waiting for the next flush; for tests and diagnostics.</summary>
    public int PendingCount => Volatile.Read(ref _pendingCount);

    /// <summary>
    /// Calls to <see cref="FlushAsync"/> that have finished, whatever they found or wrote: the signal that
    /// tests wait on to know a flush has run (and that it wrote nothing) instead of sleeping.
    /// </summary>
    public int CompletedFlushes => Volatile.Read(ref _completedFlushes);

    /// <summary>
    /// Completes when the keys waiting have reached <see cref="ApiKeyOptions.CacheSizeLimit"/> since the last
    /// flush; the flush service then flushes without waiting for its interval.
    /// </summary>
    public async Task WaitForEarlyFlushRequestAsync(CancellationToken cancellationToken)
    {
        var reader = _earlyFlushRequests.Reader;
        while (!reader.TryRead(out _))
        {
            await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Notes a use of the key. Lock-free and write-free when the time waiting is less than <see cref="Precision"/>
    /// older (ConcurrentDictionary reads take no lock; TryUpdate locks the key's bucket).
    /// </summary>
    bool IApiKeyOutcomeObserver.TimesVerifications => false;

    /// <summary>A verified key was used: the request may still be refused later (403, 429), but the key was presented.</summary>
    void IApiKeyOutcomeObserver.OnOutcome(in ApiKeyOutcomeEvent outcome)
    {
        if (outcome.Outcome.Outcome == ApiKeyOutcome.Verified)
        {
            Record(outcome.Key!.Id, outcome.At);
        }
    }

    public void Record(Guid keyId, DateTimeOffset usedAt) => Record(keyId, usedAt.UtcTicks, PrecisionTicks, requestEarlyFlush: true);

    private void Record(Guid keyId, long ticks, long precisionTicks, bool requestEarlyFlush)
    {
        while (true)
        {
            if (_pending.TryGetValue(keyId, out var current))
            {
                if (ticks - current < precisionTicks || _pending.TryUpdate(keyId, ticks, current))
                {
                    return;
                }
            }
            else if (_pending.TryAdd(keyId, ticks))
            {
                // Exactly at the crossing, so that one crossing asks once.
                if (Interlocked.Increment(ref _pendingCount) == _earlyFlushAt && requestEarlyFlush)
                {
                    _earlyFlushRequests.Writer.TryWrite(true);
                }

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
                    Interlocked.Decrement(ref _pendingCount);
                    batch.Add(new(keyId, new DateTimeOffset(ticks, TimeSpan.Zero)));
                }
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                await store.RecordUsageAsync(batch, cancellationToken).ConfigureAwait(false);
                ApiKeyUsageLog.UsageFlushed(logger, batch.Count);
            }
#pragma warning disable CA1031 // A failed flush must not stop the service; the times are kept for the next one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // Kept for the next interval's flush; not an early-flush request, or an outage would spin.
                foreach (var (keyId, usedAt) in batch)
                {
                    Record(keyId, usedAt.UtcTicks, precisionTicks: 1, requestEarlyFlush: false);
                }

                if (ex is not OperationCanceledException)
                {
                    ApiKeyUsageLog.UsageFlushFailed(logger, batch.Count, ex);
                }
            }
        }
        finally
        {
            Interlocked.Increment(ref _completedFlushes);
            _flushGate.Release();
        }
    }
}

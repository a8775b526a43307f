using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// Usage history, an observer of the seam: counts each request of a known key by its outcome (<c>allowed</c>,
/// <c>rate_limited</c>, <c>quota_exhausted</c>, <c>forbidden</c>, <c>refused</c>) and sketches its client address, in
/// memory, per key and UTC hour; <see cref="FlushAsync"/> (the flush service, once per
/// <see cref="ApiKeyUsageHistoryOptions.FlushInterval"/> and when the host stops) adds the increments to the
/// <see cref="IApiKeyUsageStore"/>, to the hour's bucket and the day's.
/// </summary>
/// <remarks>
/// <para>
/// A request of a cached key costs a dictionary read, one interlocked increment and, when the connection has an
/// address, a hash and a register read: nothing is allocated (a key's first request in an hour adds its cell).
/// </para>
/// <para>
/// Counts are taken with <see cref="Interlocked.Exchange(ref long, long)"/>, so a request counted while a flush runs
/// goes to the next flush, never lost or counted twice. A cell whose hour ended is removed and taken once more at the
/// next flush, for the requests that were still in flight. A failed flush puts its counts back for the next interval.
/// </para>
/// </remarks>
#pragma warning disable CA1001 // See _flushGate: not disposing it is deliberate, as in ApiKeyUsageTracker.
internal sealed class ApiKeyUsageHistory : IApiKeyOutcomeObserver
#pragma warning restore CA1001
{
    private const int AllowedKind = 0;
    private const int RateLimitedKind = 1;
    private const int QuotaExhaustedKind = 2;
    private const int ForbiddenKind = 3;
    private const int RefusedKind = 4;

    private readonly IApiKeyUsageStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyUsageHistory> _logger;
    private readonly ApiKeyRotationStallSignal _stalls;
    private readonly bool _enabled;
    private readonly int _earlyFlushAt;
    private readonly ConcurrentDictionary<(Guid KeyId, long HourTicks), ApiKeyUsageCell> _cells = new();
    private readonly List<ApiKeyUsageCell> _retired = [];
    private readonly Channel<bool> _earlyFlushRequests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly ApiKeyUsageHistoryOptions _options;
    private int _cellCount;
    private int _completedFlushes;
    private long _nextPruneTicks;

    public ApiKeyUsageHistory(
        IServiceProvider services, IOptions<ApiKeyUsageHistoryOptions> options, IOptions<ApiKeyOptions> keyOptions, TimeProvider time,
        ILogger<ApiKeyUsageHistory> logger, ApiKeyRotationStallSignal stalls)
    {
        _stalls = stalls;
        _store = services.GetService<IApiKeyUsageStore>();
        _options = options.Value;
        _enabled = options.Value.Enabled && _store is not null;
        _earlyFlushAt = keyOptions.Value.CacheSizeLimit;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether requests are counted: enabled, and a usage store is registered.</summary>
    public bool IsEnabled => _enabled;

    /// <summary>Key-hours waiting in memory; for tests and diagnostics.</summary>
    public int PendingCount => Volatile.Read(ref _cellCount);

    /// <summary>Calls to <see cref="FlushAsync"/> that have finished; what tests wait on instead of sleeping.</summary>
    public int CompletedFlushes => Volatile.Read(ref _completedFlushes);

    bool IApiKeyOutcomeObserver.TimesVerifications => false;

    void IApiKeyOutcomeObserver.OnOutcome(in ApiKeyOutcomeEvent outcome)
    {
        if (!_enabled || outcome.Key is not { } key)
        {
            return;
        }

        var kind = outcome.Outcome.Outcome switch
        {
            ApiKeyOutcome.Allowed => AllowedKind,
            ApiKeyOutcome.RateLimited => RateLimitedKind,
            ApiKeyOutcome.QuotaExhausted => QuotaExhaustedKind,
            ApiKeyOutcome.Forbidden => ForbiddenKind,
            ApiKeyOutcome.Revoked or ApiKeyOutcome.Expired or ApiKeyOutcome.Disabled => RefusedKind,

            // Verified: the request is counted once the limit step or authorization decides it.
            _ => -1,
        };
        if (kind < 0)
        {
            return;
        }

        var ticks = outcome.At.UtcTicks;
        var hour = ticks - (ticks % TimeSpan.TicksPerHour);

        // The snapshot remembers its cell of the current hour: no dictionary lookup for a cached key. A cell of an hour
        // that has ended is never used again through the slot, so a retired cell gets no late counts.
        if (key.UsageSlot is not ApiKeyUsageCell cell || cell.HourTicks != hour)
        {
            cell = CellOf(key.Id, key.LineageId, key.Owner, hour);
            key.UsageSlot = cell;
        }

        cell.Count(kind);
        if (key.RevokedAt is { } graceEndsAt && graceEndsAt > outcome.At)
        {
            cell.NoteGraceUse(ticks);
        }
        if (outcome.Client is { } address)
        {
            cell.AddClient(address);
        }
    }

    /// <summary>What this node counted for <paramref name="keyId"/> in the hours from <paramref name="from"/> to <paramref name="to"/> and has not flushed yet.</summary>
    public List<ApiKeyUsageRecord> Pending(Guid keyId, DateTimeOffset from, DateTimeOffset to)
    {
        var pending = new List<ApiKeyUsageRecord>();
        for (var hour = from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerHour); hour < to.UtcTicks; hour += TimeSpan.TicksPerHour)
        {
            if (_cells.TryGetValue((keyId, hour), out var cell))
            {
                pending.Add(cell.Peek());
            }
        }

        return pending;
    }

    /// <summary>Completes when the key-hours waiting reach <see cref="ApiKeyOptions.CacheSizeLimit"/>: the flush service flushes early.</summary>
    public async Task WaitForEarlyFlushRequestAsync(CancellationToken cancellationToken)
    {
        var reader = _earlyFlushRequests.Reader;
        while (!reader.TryRead(out _))
        {
            await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds what was counted since the last flush to the store: each key-hour's bucket, and its day's.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return;
        }

        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var hours = new List<ApiKeyUsageRecord>();
            var graceUses = new Dictionary<Guid, long>();
            foreach (var cell in _retired)
            {
                Take(cell, hours, graceUses);
            }

            _retired.Clear();

            // A cell an hour and a minute past its start is done: removed now, taken again next time for stragglers.
            var doneBefore = _time.GetUtcNow().UtcTicks - TimeSpan.TicksPerHour - TimeSpan.TicksPerMinute;
            foreach (var (id, cell) in _cells)
            {
                if (cell.HourTicks < doneBefore && _cells.TryRemove(id, out _))
                {
                    Interlocked.Decrement(ref _cellCount);
                    _retired.Add(cell);
                }

                Take(cell, hours, graceUses);
            }

            if (hours.Count == 0)
            {
                return;
            }

            var increments = new List<ApiKeyUsageRecord>(hours.Count * 2);
            increments.AddRange(hours);
            increments.AddRange(DaysOf(hours));
            try
            {
                await _store!.AddAsync(increments, cancellationToken).ConfigureAwait(false);
                ApiKeyUsageLog.HistoryFlushed(_logger, hours.Count);
                await _stalls.CheckAsync(hours, graceUses, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failed flush must not stop the service; the counts are kept for the next one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var hour in hours)
                {
                    Restore(hour);
                }

                if (ex is not OperationCanceledException)
                {
                    ApiKeyUsageLog.HistoryFlushFailed(_logger, hours.Count, ex);
                }
            }
        }
        finally
        {
            Interlocked.Increment(ref _completedFlushes);
            _flushGate.Release();
        }
    }

    /// <summary>
    /// Retention: deletes hourly buckets older than <see cref="ApiKeyUsageHistoryOptions.HourRetention"/> and daily ones
    /// older than <see cref="ApiKeyUsageHistoryOptions.DayRetention"/>, <see cref="ApiKeyUsageHistoryOptions.PruneBatchSize"/>
    /// at a time (so no statement holds locks for long), at most once per <see cref="PruneInterval"/> unless
    /// <paramref name="force"/>. The daily buckets were written with the hours (a flush adds to both), so pruning hours
    /// loses no day's sum. Every node may prune; deleting what another node deleted is a no-op.
    /// </summary>
    /// <returns>The hourly and daily buckets deleted.</returns>
    public async Task<(int Hours, int Days)> PruneAsync(bool force, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_enabled || (!force && now.UtcTicks < Volatile.Read(ref _nextPruneTicks)))
        {
            return (0, 0);
        }

        Volatile.Write(ref _nextPruneTicks, (now + PruneInterval).UtcTicks);
        try
        {
            var hours = await PruneAsync(ApiKeyUsageGranularity.Hour, now - _options.HourRetention, cancellationToken).ConfigureAwait(false);
            var days = await PruneAsync(ApiKeyUsageGranularity.Day, now - _options.DayRetention, cancellationToken).ConfigureAwait(false);
            if (hours + days > 0)
            {
                ApiKeyUsageLog.HistoryPruned(_logger, hours, days);
            }

            return (hours, days);
        }
#pragma warning disable CA1031 // Pruning is housekeeping: a failure waits for the next interval.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            ApiKeyUsageLog.HistoryPruneFailed(_logger, ex);
            return (0, 0);
        }
    }

    /// <summary>How often the flush service prunes.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>Batches per granularity and run: a backlog larger than this is finished by the next runs.</summary>
    private const int MaxPruneBatches = 100;

    private async Task<int> PruneAsync(ApiKeyUsageGranularity granularity, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var batch = _options.PruneBatchSize;
        var deleted = 0;
        for (var i = 0; i < MaxPruneBatches; i++)
        {
            var removed = await _store!.PruneAsync(granularity, before, batch, cancellationToken).ConfigureAwait(false);
            deleted += removed;
            if (removed < batch)
            {
                break;
            }
        }

        return deleted;
    }

    private static void Take(ApiKeyUsageCell cell, List<ApiKeyUsageRecord> into, Dictionary<Guid, long> graceUses)
    {
        if (cell.Take() is { } record)
        {
            into.Add(record);
        }

        if (cell.TakeGraceUse() is > 0 and var graceUse)
        {
            graceUses[cell.KeyId] = Math.Max(graceUse, graceUses.GetValueOrDefault(cell.KeyId));
        }
    }

    private static Dictionary<(Guid, long), ApiKeyUsageRecord>.ValueCollection DaysOf(List<ApiKeyUsageRecord> hours)
    {
        var days = new Dictionary<(Guid, long), ApiKeyUsageRecord>();
        foreach (var hour in hours)
        {
            var dayTicks = hour.Start.UtcTicks - (hour.Start.UtcTicks % TimeSpan.TicksPerDay);
            if (!days.TryGetValue((hour.KeyId, dayTicks), out var day))
            {
                day = new ApiKeyUsageRecord
                {
                    KeyId = hour.KeyId,
                    LineageId = hour.LineageId,
                    Owner = hour.Owner,
                    Granularity = ApiKeyUsageGranularity.Day,
                    Start = new DateTimeOffset(dayTicks, TimeSpan.Zero),
                };
                days.Add((hour.KeyId, dayTicks), day);
            }

            day.Allowed += hour.Allowed;
            day.RateLimited += hour.RateLimited;
            day.QuotaExhausted += hour.QuotaExhausted;
            day.Forbidden += hour.Forbidden;
            day.Refused += hour.Refused;
            if (hour.ClientSketch.Length != 0)
            {
                if (day.ClientSketch.Length == 0)
                {
                    day.ClientSketch = ApiKeyClientSketch.Create();
                }

                ApiKeyClientSketch.Merge(day.ClientSketch, hour.ClientSketch);
            }
        }

        return days.Values;
    }

    private ApiKeyUsageCell CellOf(Guid keyId, Guid lineageId, string? owner, long hourTicks)
    {
        if (_cells.TryGetValue((keyId, hourTicks), out var cell))
        {
            return cell;
        }

        var added = new ApiKeyUsageCell(keyId, lineageId, owner, hourTicks);
        cell = _cells.GetOrAdd((keyId, hourTicks), added);
        if (ReferenceEquals(cell, added) && Interlocked.Increment(ref _cellCount) == _earlyFlushAt)
        {
            _earlyFlushRequests.Writer.TryWrite(true);
        }

        return cell;
    }

    private void Restore(ApiKeyUsageRecord hour)
    {
        var cell = CellOf(hour.KeyId, hour.LineageId, hour.Owner, hour.Start.UtcTicks);
        cell.Add(AllowedKind, hour.Allowed);
        cell.Add(RateLimitedKind, hour.RateLimited);
        cell.Add(QuotaExhaustedKind, hour.QuotaExhausted);
        cell.Add(ForbiddenKind, hour.Forbidden);
        cell.Add(RefusedKind, hour.Refused);
        if (hour.ClientSketch.Length != 0)
        {
            cell.MergeSketch(hour.ClientSketch);
        }
    }
}

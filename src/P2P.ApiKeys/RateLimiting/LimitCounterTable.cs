using System.Collections.Concurrent;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Exact fixed-window and calendar-period counters, one entry per partition (a key id, a client address), with
/// time read from a <see cref="TimeProvider"/>. A decision checks both limits and counts both, or neither,
/// under the entry's own lock. Entries whose window and period are both over hold nothing worth keeping and
/// are swept, so memory follows the partitions active in their current window, not every partition ever seen.
/// </summary>
/// <remarks>
/// Windows start at multiples of their length since the Unix epoch: the same boundaries as the Redis limiter,
/// so a node that falls back from Redis to this table keeps the same windows.
/// </remarks>
internal sealed class LimitCounterTable<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private int _count;

    /// <summary>Partitions currently held.</summary>
    public int Count => Volatile.Read(ref _count);

    public bool Contains(TKey key) => _entries.ContainsKey(key);

    /// <summary>Decides for <paramref name="key"/> at <paramref name="now"/>; counts only when <paramref name="acquire"/> and admitted.</summary>
    public ApiKeyLimitStatus Decide(TKey key, DateTimeOffset now, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, long cost, bool acquire)
    {
        if (rateLimit is null && quota is null)
        {
            return default;
        }

        var window = Window.Of(now, rateLimit, quota);
        while (true)
        {
            Entry? entry;
            if (!_entries.TryGetValue(key, out entry))
            {
                if (!acquire)
                {
                    return window.Decide(null, cost, acquire: false);
                }

                entry = new Entry();
                if (_entries.TryAdd(key, entry))
                {
                    Interlocked.Increment(ref _count);
                }
                else
                {
                    continue;
                }
            }

            lock (entry)
            {
                // Swept between the lookup and the lock: its counts are gone with it, so use the new entry.
                if (!entry.Removed)
                {
                    return window.Decide(entry, cost, acquire);
                }
            }
        }
    }

    /// <summary>
    /// Decides for two partitions at once (a key's lineage and its owner's budget): the request is admitted only if it
    /// fits the limits of both, and then counted in both; a refusal by either counts in neither. Both entries are locked
    /// in one order (the smaller key first), so two decisions on the same pair never deadlock.
    /// </summary>
    public (ApiKeyLimitStatus First, ApiKeyLimitStatus Second) DecidePair(
        TKey first, ApiKeyRateLimit? firstRate, ApiKeyQuota? firstQuota,
        TKey second, ApiKeyRateLimit? secondRate, ApiKeyQuota? secondQuota,
        DateTimeOffset now, long cost, bool acquire)
    {
        if (secondRate is null && secondQuota is null)
        {
            return (Decide(first, now, firstRate, firstQuota, cost, acquire), default);
        }

        if (firstRate is null && firstQuota is null)
        {
            return (default, Decide(second, now, secondRate, secondQuota, cost, acquire));
        }

        var firstWindow = Window.Of(now, firstRate, firstQuota);
        var secondWindow = Window.Of(now, secondRate, secondQuota);
        if (!acquire)
        {
            _entries.TryGetValue(first, out var a);
            _entries.TryGetValue(second, out var b);
            return (Read(a, firstWindow, cost), Read(b, secondWindow, cost));
        }

        while (true)
        {
            var firstEntry = GetOrAdd(first);
            var secondEntry = GetOrAdd(second);
            var firstLocks = Comparer<TKey>.Default.Compare(first, second) <= 0;
            var (outer, inner) = firstLocks ? (firstEntry, secondEntry) : (secondEntry, firstEntry);
            lock (outer)
            {
                lock (inner)
                {
                    // Either swept between the lookup and the lock: its counts are gone with it, so look both up again.
                    if (firstEntry.Removed || secondEntry.Removed)
                    {
                        continue;
                    }

                    var firstStatus = firstWindow.Decide(firstEntry, cost, acquire: false);
                    var secondStatus = secondWindow.Decide(secondEntry, cost, acquire: false);
                    if (!firstStatus.IsAllowed || !secondStatus.IsAllowed)
                    {
                        return (firstStatus, secondStatus);
                    }

                    return (firstWindow.Decide(firstEntry, cost, acquire: true), secondWindow.Decide(secondEntry, cost, acquire: true));
                }
            }
        }

        static ApiKeyLimitStatus Read(Entry? entry, in Window window, long cost)
        {
            if (entry is null)
            {
                return window.Decide(null, cost, acquire: false);
            }

            lock (entry)
            {
                return window.Decide(entry.Removed ? null : entry, cost, acquire: false);
            }
        }
    }

    private Entry GetOrAdd(TKey key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            return entry;
        }

        var added = new Entry();
        entry = _entries.GetOrAdd(key, added);
        if (ReferenceEquals(entry, added))
        {
            Interlocked.Increment(ref _count);
        }

        return entry;
    }

    /// <summary>
    /// Gives back <paramref name="cost"/> units of the rate-limit window that holds <paramref name="acquiredAt"/>, if that
    /// window is still the partition's current one: a reservation that turned out not to be owed (a lookup that found a
    /// valid key). Only the rate-limit count; a quota is never given back.
    /// </summary>
    public void Release(TKey key, DateTimeOffset acquiredAt, ApiKeyRateLimit rateLimit, long cost)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return;
        }

        var windowMs = (long)rateLimit.Window.TotalMilliseconds;
        var window = acquiredAt.ToUnixTimeMilliseconds() / windowMs;
        lock (entry)
        {
            if (!entry.Removed && entry.RateWindow == window && entry.RateWindowMs == windowMs)
            {
                entry.RateCount = Math.Max(0, entry.RateCount - cost);
            }
        }
    }

    /// <summary>Clears the counts of <paramref name="key"/> (an explicit reset): its next decision starts from zero.</summary>
    public void Reset(TKey key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return;
        }

        lock (entry)
        {
            entry.RateWindow = -1;
            entry.RateCount = 0;
            entry.GcraAtMs = -1;
            entry.GcraUsed = 0;
            entry.QuotaDirty = entry.QuotaPeriodStartMs >= 0; // a stored count must be cleared too
            entry.QuotaCount = 0;
        }
    }

    /// <summary>Puts a stored quota count back (at start-up): the period it was counted in and the count.</summary>
    public void SeedQuota(TKey key, long periodStartMs, long periodEndMs, long count)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            var added = new Entry();
            entry = _entries.GetOrAdd(key, added);
            if (ReferenceEquals(entry, added))
            {
                Interlocked.Increment(ref _count);
            }
        }

        lock (entry)
        {
            if (entry.QuotaPeriodStartMs < 0 || entry.QuotaCount < count)
            {
                entry.QuotaPeriodStartMs = periodStartMs;
                entry.QuotaPeriodEndMs = periodEndMs;
                entry.QuotaCount = count;
                entry.ExpiresAtMs = Math.Max(entry.ExpiresAtMs, periodEndMs);
            }
        }
    }

    /// <summary>Takes the quota counts changed since the last call (clearing their mark) into <paramref name="changed"/>.</summary>
    public void TakeChangedQuotas(List<(TKey Key, long PeriodStartMs, long PeriodEndMs, long Count)> changed)
    {
        foreach (var pair in _entries)
        {
            var entry = pair.Value;
            lock (entry)
            {
                if (!entry.QuotaDirty || entry.Removed)
                {
                    continue;
                }

                entry.QuotaDirty = false;
                changed.Add((pair.Key, Math.Max(0, entry.QuotaPeriodStartMs), entry.QuotaPeriodEndMs, entry.QuotaCount));
            }
        }
    }

    /// <summary>Marks <paramref name="key"/>'s quota count as changed again (its write failed).</summary>
    public void MarkQuotaChanged(TKey key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            lock (entry)
            {
                entry.QuotaDirty = true;
            }
        }
    }

    /// <summary>Drops the partitions whose window and period ended by <paramref name="now"/>.</summary>
    public int Sweep(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var removed = 0;
        foreach (var pair in _entries)
        {
            var entry = pair.Value;
            lock (entry)
            {
                if (entry.Removed || entry.ExpiresAtMs > nowMs)
                {
                    continue;
                }

                entry.Removed = true;
            }

            if (_entries.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>The counts of one partition; guarded by locking the instance.</summary>
    private sealed class Entry
    {
        public long RateWindow = -1;
        public long RateWindowMs;
        public long RateCount;
        public long GcraUsed;      // cost units in use × window in ms; leaks at limit per ms
        public long GcraAtMs = -1; // when GcraUsed was last brought up to date; -1: no GCRA state
        public long GcraWindowMs;
        public long GcraLimit;
        public long QuotaPeriodStartMs = -1;
        public long QuotaPeriodEndMs;
        public long QuotaCount;
        public bool QuotaDirty; // changed since the last write to the quota count store
        public long ExpiresAtMs;
        public bool Removed;
    }

    /// <summary>Where <c>now</c> falls for the limits of one decision, computed outside the lock.</summary>
    private readonly struct Window
    {
        private readonly ApiKeyRateLimit? _rateLimit;
        private readonly ApiKeyQuota? _quota;
        private readonly long _nowMs;
        private readonly long _rateWindowMs;
        private readonly long _rateWindow;
        private readonly long _quotaStartMs;
        private readonly long _quotaEndMs;

        private Window(ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota, long nowMs, long rateWindowMs, long rateWindow, long quotaStartMs, long quotaEndMs)
        {
            _rateLimit = rateLimit;
            _quota = quota;
            _nowMs = nowMs;
            _rateWindowMs = rateWindowMs;
            _rateWindow = rateWindow;
            _quotaStartMs = quotaStartMs;
            _quotaEndMs = quotaEndMs;
        }

        public static Window Of(DateTimeOffset now, ApiKeyRateLimit? rateLimit, ApiKeyQuota? quota)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            long windowMs = 0, window = 0, quotaStart = 0, quotaEnd = 0;
            if (rateLimit is not null)
            {
                windowMs = (long)rateLimit.Window.TotalMilliseconds;
                window = nowMs / windowMs;
            }

            if (quota is not null)
            {
                quotaStart = quota.PeriodStart(now).ToUnixTimeMilliseconds();
                quotaEnd = quota.PeriodEnd(now).ToUnixTimeMilliseconds();
            }

            return new Window(rateLimit, quota, nowMs, windowMs, window, quotaStart, quotaEnd);
        }

        public ApiKeyLimitStatus Decide(Entry? entry, long cost, bool acquire)
        {
            long rateUsed = 0, rateResetMs = 0, quotaUsed = 0, quotaResetMs = 0;
            if (_rateLimit is { Algorithm: ApiKeyRateLimitAlgorithm.Gcra })
            {
                return DecideGcra(entry, cost, acquire);
            }

            if (_rateLimit is not null)
            {
                if (entry is not null && entry.RateWindow == _rateWindow && entry.RateWindowMs == _rateWindowMs)
                {
                    rateUsed = entry.RateCount;
                }
                else if (entry is not null && entry.RateWindow >= 0 && entry.RateWindowMs != _rateWindowMs
                    && (entry.RateWindow + 1) * entry.RateWindowMs > _nowMs)
                {
                    // The window's length changed (a PATCH) while the counted window still runs: what was used in it
                    // stays used; only an explicit reset clears it.
                    rateUsed = entry.RateCount;
                }
                else if (entry is not null && entry.GcraAtMs >= 0)
                {
                    // Switched from GCRA (a PATCH): what is still in use there counts in this window.
                    var inUse = Leak(entry.GcraUsed, _nowMs - entry.GcraAtMs, entry.GcraLimit);
                    rateUsed = (inUse + entry.GcraWindowMs - 1) / entry.GcraWindowMs;
                }

                rateResetMs = ((_rateWindow + 1) * _rateWindowMs) - _nowMs;
            }

            if (_quota is not null)
            {
                if (entry is not null && (entry.QuotaPeriodStartMs == _quotaStartMs
                    || (entry.QuotaPeriodStartMs >= 0 && entry.QuotaPeriodEndMs > _nowMs)))
                {
                    // The same period, or a period whose kind or anchor changed while the counted one still runs.
                    quotaUsed = entry.QuotaCount;
                }

                quotaResetMs = _quotaEndMs - _nowMs;
            }

            var rejectedBy = _rateLimit is not null && rateUsed + cost > _rateLimit.Limit ? ApiKeyLimitKind.RateLimit
                : _quota is not null && quotaUsed + cost > _quota.Limit ? ApiKeyLimitKind.Quota
                : ApiKeyLimitKind.None;

            if (acquire && rejectedBy == ApiKeyLimitKind.None && entry is not null)
            {
                if (_rateLimit is not null)
                {
                    rateUsed += cost;
                    entry.GcraAtMs = -1;
                    entry.RateWindow = _rateWindow;
                    entry.RateWindowMs = _rateWindowMs;
                    entry.RateCount = rateUsed;
                }

                if (_quota is not null)
                {
                    quotaUsed += cost;
                    entry.QuotaPeriodStartMs = _quotaStartMs;
                    entry.QuotaPeriodEndMs = _quotaEndMs;
                    entry.QuotaCount = quotaUsed;
                    entry.QuotaDirty = true;
                }

                var expires = _nowMs + Math.Max(rateResetMs, quotaResetMs);
                if (expires > entry.ExpiresAtMs)
                {
                    entry.ExpiresAtMs = expires;
                }
            }

            return new ApiKeyLimitStatus(
                rejectedBy,
                rateUsed,
                TimeSpan.FromMilliseconds(rateResetMs),
                quotaUsed,
                TimeSpan.FromMilliseconds(quotaResetMs));
        }

        /// <summary>
        /// GCRA in its leaky-bucket form, in integers: what is in use is kept as cost units × window in ms and leaks at
        /// <c>limit</c> per ms; a request of cost c fits when in-use + c × window ≤ burst × window. So in any interval of
        /// t ms at most burst + t × limit / window units are admitted: exact, with no rounding, on every node and in Redis.
        /// </summary>
        private ApiKeyLimitStatus DecideGcra(Entry? entry, long cost, bool acquire)
        {
            var rate = _rateLimit!;
            var windowMs = _rateWindowMs;
            var capacity = rate.Burst * windowMs;
            long inUse = 0;
            if (entry is not null)
            {
                if (entry.GcraAtMs >= 0)
                {
                    inUse = Leak(entry.GcraUsed, Math.Max(0, _nowMs - entry.GcraAtMs), entry.GcraLimit);
                    if (entry.GcraWindowMs != windowMs || entry.GcraLimit != rate.Limit)
                    {
                        // The limit or window changed (a PATCH): the units in use stay in use, measured in the new window.
                        inUse = (long)((Int128)inUse * windowMs / entry.GcraWindowMs);
                    }
                }
                else if (entry.RateWindow >= 0 && (entry.RateWindow + 1) * entry.RateWindowMs > _nowMs)
                {
                    // Switched from a fixed window that still runs (a PATCH): its count is in use.
                    inUse = entry.RateCount * windowMs;
                }
            }

            var need = cost * windowMs;
            var rateFits = inUse + need <= capacity;
            long quotaUsed = 0, quotaResetMs = 0;
            if (_quota is not null)
            {
                if (entry is not null && (entry.QuotaPeriodStartMs == _quotaStartMs
                    || (entry.QuotaPeriodStartMs >= 0 && entry.QuotaPeriodEndMs > _nowMs)))
                {
                    quotaUsed = entry.QuotaCount;
                }

                quotaResetMs = _quotaEndMs - _nowMs;
            }

            var rejectedBy = !rateFits ? ApiKeyLimitKind.RateLimit
                : _quota is not null && quotaUsed + cost > _quota.Limit ? ApiKeyLimitKind.Quota
                : ApiKeyLimitKind.None;
            long resetMs;
            if (rejectedBy == ApiKeyLimitKind.None)
            {
                if (acquire && entry is not null)
                {
                    inUse += need;
                    entry.GcraUsed = inUse;
                    entry.GcraAtMs = _nowMs;
                    entry.GcraWindowMs = windowMs;
                    entry.GcraLimit = rate.Limit;
                    entry.RateWindow = -1;
                    if (_quota is not null)
                    {
                        quotaUsed += cost;
                        entry.QuotaPeriodStartMs = _quotaStartMs;
                        entry.QuotaPeriodEndMs = _quotaEndMs;
                        entry.QuotaCount = quotaUsed;
                        entry.QuotaDirty = true;
                    }
                }

                resetMs = CeilDiv(inUse, rate.Limit); // until everything in use has leaked: the full burst is back
                var expires = _nowMs + Math.Max(resetMs, quotaResetMs);
                if (acquire && entry is not null && expires > entry.ExpiresAtMs)
                {
                    entry.ExpiresAtMs = expires;
                }
            }
            else
            {
                // Until this request would fit (for a quota refusal, the rate limit's own drain time; Retry-After uses the quota's).
                resetMs = rateFits ? CeilDiv(inUse, rate.Limit) : CeilDiv(inUse + need - capacity, rate.Limit);
            }

            return new ApiKeyLimitStatus(
                rejectedBy,
                CeilDiv(inUse, windowMs),
                TimeSpan.FromMilliseconds(resetMs),
                quotaUsed,
                TimeSpan.FromMilliseconds(quotaResetMs));
        }

        private static long CeilDiv(long value, long divisor) => value <= 0 ? 0 : ((value - 1) / divisor) + 1;
    }

    /// <summary>What of <paramref name="used"/> is left after <paramref name="elapsedMs"/> of leaking at <paramref name="limit"/> per ms.</summary>
    private static long Leak(long used, long elapsedMs, long limit) =>
        elapsedMs >= (used / limit) + 1 ? 0 : Math.Max(0, used - (elapsedMs * limit));
}

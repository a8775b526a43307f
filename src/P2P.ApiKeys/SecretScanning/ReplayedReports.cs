namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// The digests of reports this node has handled in the last day (at most <see cref="Capacity"/>), so that a replayed
/// report is answered without acting again. Revoking and disabling are idempotent through the key's state anyway (on
/// every node); this is what keeps a replay from writing another audit entry in <see cref="SecretScanningAction.Report"/>
/// mode, or from disabling again a key an admin has enabled since.
/// </summary>
internal sealed class ReplayedReports(TimeProvider time)
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Digest, DateTimeOffset Expires)> _order = new();
    private readonly Lock _lock = new();

    public bool Contains(string digest)
    {
        lock (_lock)
        {
            Expire(time.GetUtcNow());
            return _seen.ContainsKey(digest);
        }
    }

    /// <summary>Remembers a report once it has been handled completely (a failed one may be retried and act).</summary>
    public void Remember(string digest)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Expire(now);
            if (!_seen.TryAdd(digest, now + Window))
            {
                return;
            }

            _order.Enqueue((digest, now + Window));
            while (_seen.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _seen.Remove(oldest.Digest);
            }
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && oldest.Expires <= now)
        {
            _order.Dequeue();
            _seen.Remove(oldest.Digest);
        }
    }
}

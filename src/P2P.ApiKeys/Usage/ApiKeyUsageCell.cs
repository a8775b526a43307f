using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// The in-memory counts of one key in one UTC hour, written by concurrent requests with interlocked operations only:
/// five counters and the 256 registers of a client sketch, which only ever grow.
/// </summary>
internal sealed class ApiKeyUsageCell(Guid keyId, Guid lineageId, string? owner, long hourTicks)
{
    public const int Kinds = 5;

    private readonly long[] _counts = new long[Kinds];
    private readonly int[] _registers = new int[ApiKeyClientSketch.Size];
    private int _sketchChanged;
    private long _lastGraceUseTicks;

    // The last address added: requests on one keep-alive connection share its IPAddress, and are not hashed again.
    private System.Net.IPAddress? _lastAddress;

    public Guid KeyId { get; } = keyId;

    public Guid LineageId { get; } = lineageId;

    public string? Owner { get; } = owner;

    public long HourTicks { get; } = hourTicks;

    public void Count(int kind) => Interlocked.Increment(ref _counts[kind]);

    public void Add(int kind, long count)
    {
        if (count != 0)
        {
            Interlocked.Add(ref _counts[kind], count);
        }
    }

    /// <summary>A use of a key in a rotation grace period (rare): the latest one is kept for the rotation watch.</summary>
    public void NoteGraceUse(long ticks)
    {
        var current = Volatile.Read(ref _lastGraceUseTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastGraceUseTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>The latest use in a grace period since the last take, or 0.</summary>
    public long TakeGraceUse() => Interlocked.Exchange(ref _lastGraceUseTicks, 0);

    /// <summary>Adds the request's client address unless it is the one just added (the same connection).</summary>
    public void AddClient(System.Net.IPAddress address)
    {
        if (ReferenceEquals(Volatile.Read(ref _lastAddress), address))
        {
            return;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.TryWriteBytes(bytes, out var written))
        {
            AddClient(ApiKeyClientSketch.Hash(bytes[..written]));
            Volatile.Write(ref _lastAddress, address);
        }
    }

    /// <summary>Most requests read the register and write nothing: a register changes only for a larger rank.</summary>
    public void AddClient(ulong hash)
    {
        var (index, rank) = ApiKeyClientSketch.Locate(hash);
        ref var register = ref _registers[index];
        var current = Volatile.Read(ref register);
        while (rank > current)
        {
            var seen = Interlocked.CompareExchange(ref register, rank, current);
            if (seen == current)
            {
                Volatile.Write(ref _sketchChanged, 1);
                return;
            }

            current = seen;
        }
    }

    public void MergeSketch(ReadOnlySpan<byte> sketch)
    {
        for (var i = 0; i < sketch.Length; i++)
        {
            var rank = sketch[i];
            ref var register = ref _registers[i];
            var current = Volatile.Read(ref register);
            while (rank > current)
            {
                var seen = Interlocked.CompareExchange(ref register, rank, current);
                if (seen == current)
                {
                    break;
                }

                current = seen;
            }
        }

        Volatile.Write(ref _sketchChanged, 1);
    }

    /// <summary>The counts not flushed yet and the sketch, read without taking them (for a live view).</summary>
    public ApiKeyUsageRecord Peek()
    {
        var sketch = ApiKeyClientSketch.Create();
        for (var i = 0; i < sketch.Length; i++)
        {
            sketch[i] = (byte)Volatile.Read(ref _registers[i]);
        }

        return new ApiKeyUsageRecord
        {
            KeyId = KeyId,
            Start = new DateTimeOffset(HourTicks, TimeSpan.Zero),
            Allowed = Volatile.Read(ref _counts[0]),
            RateLimited = Volatile.Read(ref _counts[1]),
            QuotaExhausted = Volatile.Read(ref _counts[2]),
            Forbidden = Volatile.Read(ref _counts[3]),
            Refused = Volatile.Read(ref _counts[4]),
            ClientSketch = sketch,
        };
    }

    /// <summary>Takes the counts since the last take (leaving zeros) and, when it changed, a copy of the sketch.</summary>
    public ApiKeyUsageRecord? Take()
    {
        var record = new ApiKeyUsageRecord
        {
            KeyId = KeyId,
            LineageId = LineageId,
            Owner = Owner,
            Granularity = ApiKeyUsageGranularity.Hour,
            Start = new DateTimeOffset(HourTicks, TimeSpan.Zero),
            Allowed = Interlocked.Exchange(ref _counts[0], 0),
            RateLimited = Interlocked.Exchange(ref _counts[1], 0),
            QuotaExhausted = Interlocked.Exchange(ref _counts[2], 0),
            Forbidden = Interlocked.Exchange(ref _counts[3], 0),
            Refused = Interlocked.Exchange(ref _counts[4], 0),
        };

        if (Interlocked.Exchange(ref _sketchChanged, 0) == 1)
        {
            var sketch = ApiKeyClientSketch.Create();
            for (var i = 0; i < sketch.Length; i++)
            {
                sketch[i] = (byte)Volatile.Read(ref _registers[i]);
            }

            record.ClientSketch = sketch;
        }

        return record.Total == 0 && record.ClientSketch.Length == 0 ? null : record;
    }
}

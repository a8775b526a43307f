using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// <see cref="ApiKeyRateLimitOptions.ClientLookupLimit"/>: what a client address may cost the verifier in lookups of
/// keys it cannot prove it holds. A store lookup is reserved before it is made and given back when it finds a key
/// whose secret matches, so only unknown lookup ids and wrong secrets are charged: 60 valid keys behind one NAT never
/// spend it. Partitions come from <see cref="ClientAddressPartition"/>; once <see cref="ApiKeyRateLimitOptions.MaxTrackedClients"/>
/// addresses are tracked, new ones are charged to one of <see cref="OverflowBuckets"/> buckets by network prefix, so a
/// flood from many addresses cannot spend one budget shared by everyone, and memory stays bounded.
/// </summary>
internal sealed class ClientLookupBudget : IDisposable
{
    /// <summary>How many per-prefix budgets clients beyond the tracked ones share.</summary>
    internal const int OverflowBuckets = 4096;

    /// <summary>How often partitions whose window is over are dropped.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly LimitCounterTable<UInt128> _clients = new();
    private readonly LimitCounterTable<UInt128> _overflow = new();
    private readonly ApiKeyRateLimit? _limit;
    private readonly int _maxClients;
    private readonly TimeProvider _time;
    private readonly ITimer? _sweeper;

    public ClientLookupBudget(IOptions<ApiKeyRateLimitOptions> options, TimeProvider time)
    {
        _limit = options.Value.ClientLookupLimit;
        _maxClients = Math.Max(1, options.Value.MaxTrackedClients);
        _time = time;
        var outcome = ApiKeyOutcomes.Of(ApiKeyOutcome.ClientThrottled);
        ThrottledResult = _limit is null
            ? outcome.Result!
            : AuthenticateResult.Fail(new ApiKeyRefusedException(outcome, outcome.Result!.Failure!.Message, _limit.Window));
        if (_limit is not null)
        {
            _sweeper = time.CreateTimer(static state => ((ClientLookupBudget)state!).Sweep(), this, SweepInterval, SweepInterval);
        }
    }

    public bool IsEnabled => _limit is not null;

    /// <summary>The refusal of a client whose budget is spent; its failure carries the window, for <c>Retry-After</c>.</summary>
    public AuthenticateResult ThrottledResult { get; }

    internal int TrackedClients => _clients.Count;

    internal int OverflowPartitions => _overflow.Count;

    /// <summary>Charges one lookup to the request's client; <see langword="false"/> when its budget is spent.</summary>
    public bool TryCharge(HttpContext context, out ClientLookupCharge charge)
    {
        charge = default;
        if (_limit is null)
        {
            return true;
        }

        var client = context.Connection.RemoteIpAddress;
        var now = _time.GetUtcNow();
        var partition = ClientAddressPartition.Of(client);
        var table = _clients;
        if (_clients.Count >= _maxClients && !_clients.Contains(partition))
        {
            table = _overflow;
            partition = OverflowBucketOf(client);
        }

        var status = table.Decide(partition, now, _limit, quota: null, cost: 1, acquire: true);
        charge = new ClientLookupCharge(partition, now, ReferenceEquals(table, _overflow), status.IsAllowed);
        return status.IsAllowed;
    }

    /// <summary>
    /// The overflow budget of <paramref name="client"/>: its network prefix, hashed into one of <see cref="OverflowBuckets"/>.
    /// The hash is seeded per process (<see cref="UInt128.GetHashCode"/>), so a client cannot pick prefixes that land in
    /// another network's bucket on purpose.
    /// </summary>
    internal static UInt128 OverflowBucketOf(IPAddress? client) =>
        (uint)ClientAddressPartition.PrefixOf(client).GetHashCode() % OverflowBuckets;

    /// <summary>Gives a charged lookup back: it found a key whose secret matched.</summary>
    public void Refund(in ClientLookupCharge charge)
    {
        if (_limit is not null && charge.IsCharged)
        {
            (charge.IsOverflow ? _overflow : _clients).Release(charge.Partition, charge.At, _limit, cost: 1);
        }
    }

    internal int Sweep()
    {
        var now = _time.GetUtcNow();
        return _clients.Sweep(now) + _overflow.Sweep(now);
    }

    public void Dispose() => _sweeper?.Dispose();
}

/// <summary>One lookup charged to a client's budget, to give back if the key turns out to be valid.</summary>
internal readonly record struct ClientLookupCharge(UInt128 Partition, DateTimeOffset At, bool IsOverflow, bool IsCharged);

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// <see cref="ApiKeyRateLimitOptions.ClientLookupLimit"/>: store lookups per client address and window, reserved
/// before each lookup. Addresses are held as 128-bit numbers (IPv4 whole, IPv6 by /64), so a check allocates
/// nothing, and the table is bounded by <see cref="ApiKeyRateLimitOptions.MaxTrackedClients"/>.
/// </summary>
internal sealed class ClientLookupLimiter : IDisposable
{
    // IPv6 prefixes carry this bit, so no /64 can collide with an IPv4 address; all clients beyond the bound share one budget.
    private static readonly UInt128 Ipv6Marker = UInt128.One << 127;
    private static readonly UInt128 Overflow = UInt128.MaxValue;

    private readonly LimitCounterTable<UInt128> _clients = new();
    private readonly ApiKeyRateLimit? _limit;
    private readonly int _maxClients;
    private readonly TimeProvider _time;
    private readonly ITimer? _sweeper;

    public ClientLookupLimiter(IOptions<ApiKeyRateLimitOptions> options, TimeProvider time)
    {
        _limit = options.Value.ClientLookupLimit;
        _maxClients = Math.Max(1, options.Value.MaxTrackedClients);
        _time = time;
        if (_limit is not null)
        {
            _sweeper = time.CreateTimer(static state => ((ClientLookupLimiter)state!).Sweep(), this, LocalApiKeyLimiter.SweepInterval, LocalApiKeyLimiter.SweepInterval);
        }
    }

    public bool IsEnabled => _limit is not null;

    internal int TrackedClients => _clients.Count;

    /// <summary>Reserves one store lookup for the request's client; <see langword="false"/> (and when to retry) when its budget is spent.</summary>
    public bool TryAcquire(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limit is null)
        {
            return true;
        }

        var client = ClientKey(context.Connection.RemoteIpAddress);
        if (_clients.Count >= _maxClients && !_clients.Contains(client))
        {
            client = Overflow;
        }

        var status = _clients.Decide(client, _time.GetUtcNow(), _limit, quota: null, cost: 1, acquire: true);
        retryAfter = status.RateLimitReset;
        return status.IsAllowed;
    }

    internal int Sweep() => _clients.Sweep(_time.GetUtcNow());

    internal static UInt128 ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return UInt128.Zero;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _))
        {
            return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        }

        if (!address.TryWriteBytes(bytes, out _))
        {
            return UInt128.Zero;
        }

        ulong prefix = 0;
        for (var i = 0; i < 8; i++)
        {
            prefix = (prefix << 8) | bytes[i];
        }

        return Ipv6Marker | ((UInt128)prefix << 64);
    }

    public void Dispose() => _sweeper?.Dispose();
}

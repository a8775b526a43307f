using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>
/// The per-client fixed-window limit on the token endpoint. Applied inside the endpoint rather than through the
/// rate-limiting middleware so that it holds even when the host does not call <c>UseRateLimiter()</c>.
/// </summary>
internal sealed class AdminTokenRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AdminTokenRateLimiter(IOptions<AdminOptions> options)
    {
        var o = options.Value.Endpoints;
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.TokenPermitLimit,
                Window = o.TokenWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one permit for the client; on refusal returns how long to wait.</summary>
    public bool TryAcquire(HttpContext context, out TimeSpan retryAfter)
    {
        var client = PartitionKey(context.Connection.RemoteIpAddress);
        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return false;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// The client a permit is counted against: an IPv4 address (IPv4-mapped IPv6 included) on its own, an IPv6
    /// address by its /64 network. One IPv6 host usually holds a whole /64 and can pick a new address per
    /// request, so counting each address alone would give it 2^64 separate limits.
    /// </summary>
    internal static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}

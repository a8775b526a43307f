using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>
/// The per-client fixed-window limit on the token endpoint. Applied inside the endpoint rather than through the
/// rate-limiting middleware so that it holds even when the host does not call <c>UseRateLimiter()</c>.
/// </summary>
internal sealed class AdminTokenRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<UInt128> _limiter;

    public AdminTokenRateLimiter(IOptions<AdminOptions> options)
    {
        var o = options.Value.Endpoints;
        _limiter = PartitionedRateLimiter.Create<UInt128, UInt128>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
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
        // IPv4 alone, IPv6 by /64: the same partitions as every per-client limit of the library.
        var client = ClientAddressPartition.Of(context.Connection.RemoteIpAddress);
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
}

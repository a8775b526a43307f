using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// <see cref="SecretScanningOptions.RateLimit"/>: requests per scanner and client address (IPv4 whole, IPv6 by /64), counted
/// before anything is read or verified, in the same exact fixed windows as the per-key limits. At most
/// <see cref="MaxTrackedClients"/> addresses are held; beyond that, new addresses share one budget.
/// </summary>
internal sealed class SecretScanningRateLimiter : IDisposable
{
    public const int MaxTrackedClients = 10_000;
    private static readonly UInt128 Overflow = UInt128.MaxValue;

    private readonly LimitCounterTable<(SecretScanningProvider, UInt128)> _clients = new();
    private readonly ApiKeyRateLimit? _limit;
    private readonly TimeProvider _time;
    private readonly ITimer? _sweeper;

    public SecretScanningRateLimiter(IOptions<SecretScanningOptions> options, TimeProvider time)
    {
        _limit = options.Value.RateLimit;
        _time = time;
        if (_limit is not null)
        {
            _sweeper = time.CreateTimer(static state => ((SecretScanningRateLimiter)state!).Sweep(), this, LocalApiKeyLimiter.SweepInterval, LocalApiKeyLimiter.SweepInterval);
        }
    }

    public bool TryAcquire(SecretScanningProvider provider, HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limit is null)
        {
            return true;
        }

        var client = (provider, ClientLookupLimiter.ClientKey(context.Connection.RemoteIpAddress));
        if (_clients.Count >= MaxTrackedClients && !_clients.Contains(client))
        {
            client = (provider, Overflow);
        }

        var status = _clients.Decide(client, _time.GetUtcNow(), _limit, quota: null, cost: 1, acquire: true);
        retryAfter = status.RateLimitReset;
        return status.IsAllowed;
    }

    internal int Sweep() => _clients.Sweep(_time.GetUtcNow());

    public void Dispose() => _sweeper?.Dispose();
}

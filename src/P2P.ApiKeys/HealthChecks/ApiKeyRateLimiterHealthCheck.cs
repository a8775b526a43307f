using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.HealthChecks;

/// <summary>
/// The per-key limiter counts where it should. A limiter that shares its counts with other nodes (Redis) says how
/// it is by implementing <see cref="IHealthCheck"/> itself; the in-process limiter is always healthy.
/// </summary>
internal sealed class ApiKeyRateLimiterHealthCheck(IApiKeyLimiter limiter) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        limiter is IHealthCheck shared
            ? shared.CheckHealthAsync(context, cancellationToken)
            : Task.FromResult(HealthCheckResult.Healthy("Per-key limits are counted on this node."));
}

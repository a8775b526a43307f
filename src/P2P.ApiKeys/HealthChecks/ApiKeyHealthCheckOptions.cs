using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace P2P.ApiKeys.HealthChecks;

/// <summary>Settings of the health checks that <c>AddApiKeyHealthChecks</c> adds.</summary>
public sealed class ApiKeyHealthCheckOptions
{
    /// <summary>
    /// How long a connected change notifier may stay silent (no change, no keep-alive round trip, no poll) before its
    /// check reports <see cref="HealthStatus.Degraded"/>.
    /// </summary>
    /// <remarks>Defaults to 1 minute: four times the PostgreSQL and Redis notifiers' 15-second keep-alive.</remarks>
    public TimeSpan NotifierHeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one check may take before it is reported as failed.</summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The status a check reports when what it checks is down: the store unreachable, a notifier disconnected, the
    /// Redis limiter unreachable.
    /// </summary>
    /// <remarks>
    /// Defaults to <see cref="HealthStatus.Unhealthy"/>. A node without its notifier or its Redis limiter still
    /// works (changes from other nodes arrive within <c>CacheTtl</c>, limits are counted locally); hosts that would
    /// rather keep such a node in rotation register the checks with <see cref="HealthStatus.Degraded"/>.
    /// </remarks>
    public HealthStatus FailureStatus { get; set; } = HealthStatus.Unhealthy;

    /// <summary>Tags of the three checks, for filtering them in <c>MapHealthChecks</c>.</summary>
    /// <remarks>Defaults to <c>p2p_apikeys</c> and <c>ready</c>.</remarks>
    public IList<string> Tags { get; } = [ApiKeyHealthCheckNames.Tag, "ready"];
}

using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;

namespace P2P.ApiKeys.HealthChecks;

/// <summary>
/// Every registered change notifier is connected (else the failure status: other nodes' changes then reach this
/// node only within <c>CacheTtl</c>) and was heard from within <see cref="ApiKeyHealthCheckOptions.NotifierHeartbeatTimeout"/>
/// (else degraded). No I/O: it reads what the notifiers reported.
/// </summary>
internal sealed class ApiKeyChangeNotifierHealthCheck(
    ApiKeyChangeNotifierStatus status,
    IEnumerable<IApiKeyChangePublisher> publishers,
    IOptions<ApiKeyHealthCheckOptions> options,
    TimeProvider timeProvider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var states = status.Snapshot().ToDictionary(s => s.Name, StringComparer.Ordinal);
        var names = publishers.Select(p => p.Name).Concat(states.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No change notifier: other nodes' key changes reach this node within CacheTtl."));
        }

        var now = timeProvider.GetUtcNow();
        var timeout = options.Value.NotifierHeartbeatTimeout;
        var worst = HealthStatus.Healthy;
        var descriptions = new List<string>(names.Count);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            HealthStatus result;
            string description;
            if (!states.TryGetValue(name, out var state))
            {
                result = context.Registration.FailureStatus;
                description = $"{name}: not connected yet";
                data[name] = "connecting";
            }
            else if (!state.Connected)
            {
                result = context.Registration.FailureStatus;
                description = $"{name}: disconnected since {Format(state.Since)}{(state.FailureType is null ? "" : $" ({state.FailureType})")}; other nodes' changes arrive within CacheTtl";
                data[name] = "disconnected";
            }
            else if (state.LastHeardAt is not { } heard || now - heard > timeout)
            {
                result = HealthStatus.Degraded;
                description = $"{name}: connected, but not heard from since {Format(state.LastHeardAt ?? state.Since)} (more than {timeout.TotalSeconds:0} s)";
                data[name] = "silent";
            }
            else
            {
                result = HealthStatus.Healthy;
                description = $"{name}: connected, heard from {(now - heard).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s ago";
                data[name] = "connected";
            }

            worst = result < worst ? result : worst;
            descriptions.Add(description);
        }

        return Task.FromResult(new HealthCheckResult(worst, string.Join("; ", descriptions) + ".", data: data));
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.HealthChecks;

/// <summary>
/// The key store answers: one indexed lookup of a lookup id that no key has (the same query as a cache miss), so
/// the check proves what verification needs and costs the database next to nothing.
/// </summary>
internal sealed class ApiKeyStoreHealthCheck(IApiKeyStore store) : IHealthCheck
{
    // Not base62 of the minted length: never a real key's lookup id.
    private const string ProbeLookupId = "p2p-health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.FindByLookupIdAsync(ProbeLookupId, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The key store answers.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the health check service reports the timeout
        }
#pragma warning disable CA1031 // Whatever the store throws, the answer is "unreachable", never a crash of the probe.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The key store does not answer ({ex.GetType().Name}); API keys not in the cache are refused with 503.", ex);
        }
    }
}

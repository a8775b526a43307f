using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.Diagnostics;

public sealed class ApiKeyMetricsTests
{
    [Fact]
    public async Task Authenticate_EachOutcome_CountedWithOutcomeTag()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        using var verifications = new MetricCollector<long>(meterFactory, "P2P.ApiKeys", "p2p.apikeys.verifications");
        using var lookups = new MetricCollector<double>(meterFactory, "P2P.ApiKeys", "p2p.apikeys.store.lookup.duration");
        var (key, record) = await host.CreateKeyAsync();
        var (expiring, _) = await host.CreateKeyAsync(expiresAt: ApiKeyTestHost.Start.AddSeconds(1));
        var stranger = host.Services.GetRequiredService<P2P.ApiKeys.KeyFormat.ApiKeyFormat>().Generate().Key;

        await host.GetAsync("/read", key);                                                    // success
        await host.GetAsync("/read");                                                         // missing
        await host.GetAsync("/read", "p2p_nope");                                             // malformed
        await host.GetAsync("/read", stranger);                                               // unknown
        await host.GetAsync("/read", TestKeys.WithChecksum(key[..17] + new string('Z', 32))); // invalid_secret
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.GetAsync("/read", expiring);                                               // expired
        await host.RevokeAsync(record);
        await host.GetAsync("/read", key);                                                    // revoked
        host.Store.Failure = new TimeoutException();
        await host.GetAsync("/read", host.Services.GetRequiredService<P2P.ApiKeys.KeyFormat.ApiKeyFormat>().Generate().Key); // store_unavailable

        var outcomes = verifications.GetMeasurementSnapshot()
            .Select(m => (string)m.Tags["p2p.api_key.outcome"]!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            ["expired", "invalid_secret", "malformed", "missing", "revoked", "store_unavailable", "success", "unknown"],
            outcomes);
        Assert.All(verifications.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));

        // Only store lookups (cache misses) are timed; the whole authentication is ASP.NET Core's own
        // aspnetcore.authentication.authenticate.duration. Refusals from the string alone never reach the store.
        var timed = lookups.GetMeasurementSnapshot();
        Assert.All(timed, m => Assert.True(m.Value >= 0));
        Assert.Contains(timed, m => (string?)m.Tags["p2p.api_key.outcome"] == "success");
        Assert.Contains(timed, m => (string?)m.Tags["p2p.api_key.outcome"] == "unknown");
        Assert.Contains(timed, m => (string?)m.Tags["p2p.api_key.outcome"] == "store_unavailable");
        Assert.DoesNotContain(timed, m => (string?)m.Tags["p2p.api_key.outcome"] is "missing" or "malformed");
    }
}

using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.SecretScanning;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.Tests.SecretScanning;

/// <summary>What a report leaves behind outside the response: log lines and metrics, never a token, a hash or the secret.</summary>
public sealed class SecretScanningDiagnosticsTests
{
    [Fact]
    public async Task Reports_AcceptedAndRefused_NoTokenHashOrSecretInAnyLogRecord()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report([key, "p2p_tokenlike_garbage"]);
        using (await scanning.PostAsync(body, "forged"))
        {
        }

        using (var accepted = await scanning.PostAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (await scanning.PostAsync(body))
        {
        }

        var records = scanning.Host.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 1600);
        Assert.Contains(records, r => r.Id.Id == 1601 && r.Message.Contains(record.LookupId, StringComparison.Ordinal));
        var secrets = new[] { key, key[17..49], GitHubReportSigner.TokenHash(key), Convert.ToHexString(record.SecretHash), "p2p_tokenlike_garbage", SecretScanningTestHost.GitLabSecret };
        foreach (var r in records)
        {
            var text = string.Join('\n', new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? []));
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task ForgedReports_CountedInMetricsLoggedAtDebugOnly()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        using var requests = new MetricCollector<long>(scanning.Host.Services.GetRequiredService<IMeterFactory>(), "P2P.ApiKeys", "p2p.apikeys.secret_scanning.requests");
        var body = GitHubReportSigner.Report(["x"]);

        for (var i = 0; i < 20; i++)
        {
            using var forged = await scanning.PostAsync(body, scanning.Signer.Sign(GitHubReportSigner.Report(["y"])));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        var unauthorized = requests.GetMeasurementSnapshot().Where(m => (string?)m.Tags[SecretScanningMetrics.OutcomeTag] == "unauthorized").ToList();
        Assert.Equal(20, unauthorized.Count);
        Assert.All(unauthorized, m => Assert.Equal("github", m.Tags[SecretScanningMetrics.ProviderTag]));
        var aboveDebug = scanning.Host.Logs.GetSnapshot().Where(r => r.Level > LogLevel.Debug && r.Category!.Contains("SecretScanning", StringComparison.Ordinal));
        Assert.Equal([1603], aboveDebug.Select(r => r.Id.Id)); // the key set loaded, once; not a line per forged report
    }

    [Fact]
    public async Task Report_MatchesCountedByResult()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        using var matches = new MetricCollector<long>(scanning.Host.Services.GetRequiredService<IMeterFactory>(), "P2P.ApiKeys", "p2p.apikeys.secret_scanning.matches");
        var (key, _) = await scanning.CreateKeyAsync();
        var unknown = scanning.Host.Services.GetRequiredService<P2P.ApiKeys.KeyFormat.ApiKeyFormat>().Generate().Key;

        using (await scanning.ReportAsync(key, unknown, "junk"))
        {
        }

        using (await scanning.ReportAsync(key, "more junk"))
        {
        }

        var results = matches.GetMeasurementSnapshot().Select(m => (string)m.Tags[SecretScanningMetrics.ResultTag]!).Order(StringComparer.Ordinal);
        Assert.Equal(["already_refused", "malformed", "malformed", "revoked", "unknown"], results);
    }
}

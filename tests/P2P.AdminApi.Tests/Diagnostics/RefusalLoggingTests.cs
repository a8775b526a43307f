using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys.Diagnostics;

namespace P2P.AdminApi.Tests.Diagnostics;

/// <summary>
/// A flood of refused requests must not flood the log: with the sample's own logging configuration, a refused anonymous
/// request (no key, a malformed key, a revoked key, no admin token, a forged admin token) and a rate-limited key write no
/// line at Information or above from the library or ASP.NET Core's authentication and authorization, and at most one
/// line per request overall (the HTTP log's). The refusals are counted in the meter instead.
/// </summary>
public sealed class RefusalLoggingTests(AdminApiFactory shared)
{
    private const int Rounds = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RefusedRequests_WithTheSamplesLogConfiguration_AtMostOneLinePerRequestAndCountedInMetrics()
    {
        await using var factory = new AdminApiFactory();
        using var client = factory.CreateClient();
        var admin = await AdminSession.BootstrapAsync(client, "flood-admin", "flood admin passphrase 1");
        var revoked = await admin.CreateKeyResponseAsync(new { name = "revoked" });
        using (await admin.SendAsync(HttpMethod.Delete, $"/admin/keys/{revoked.GetProperty("id").GetString()}"))
        {
        }

        var limitedKey = (await admin.CreateKeyResponseAsync(new { name = "limited", rate_limit = new { limit = 1, window_seconds = 60 } }))
            .GetProperty("key").GetString()!;

        var meterFactory = factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var verifications = new MetricCollector<long>(meterFactory, ApiKeyDiagnostics.MeterName, "p2p.apikeys.verifications");
        using var decisions = new MetricCollector<long>(meterFactory, ApiKeyDiagnostics.MeterName, "p2p.apikeys.rate_limit.decisions");
        var logs = factory.Services.GetRequiredService<FakeLogCollector>();
        logs.Clear();

        var requests = 0;
        var limitedAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < Rounds; i++)
        {
            await ExpectAsync("/api/p2p/summary", null, null, HttpStatusCode.Unauthorized);
            await ExpectAsync("/api/p2p/summary", "X-API-Key", "not-a-key", HttpStatusCode.Unauthorized);
            await ExpectAsync("/api/p2p/summary", "X-API-Key", revoked.GetProperty("key").GetString(), HttpStatusCode.Unauthorized);
            await ExpectAsync("/admin/keys/", null, null, HttpStatusCode.Unauthorized);
            await ExpectAsync("/admin/keys/", "Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged", HttpStatusCode.Unauthorized);
            using var limited = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
            limited.Headers.Add("X-API-Key", limitedKey);
            using var answer = await client.SendAsync(limited, Ct);
            limitedAnswers.Add(answer.StatusCode);
            requests++;
        }

        Assert.Equal([HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, Rounds - 1)], limitedAnswers);

        var records = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        var fromAuth = records.Where(r => r.Category is { } c && (c.StartsWith("P2P.ApiKeys", StringComparison.Ordinal)
            || c.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal)
            || c.StartsWith("Microsoft.AspNetCore.Authorization", StringComparison.Ordinal)));
        Assert.False(fromAuth.Any(), "per-request lines from the library or authentication:\n"
            + string.Join('\n', fromAuth.Select(r => $"{r.Category} {r.Id} {r.Level}: {r.Message}")));
        Assert.True(records.Count <= requests, $"{records.Count} lines for {requests} requests:\n" + string.Join('\n', records.Select(r => $"{r.Category} {r.Id}: {r.Message}")));
        Assert.Equal(requests, records.Count(r => r.Category == "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"));

        // Counted instead: each API-key refusal by its outcome, each 429 as a rate-limit decision.
        var outcomes = verifications.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["p2p.api_key.outcome"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.True(outcomes.GetValueOrDefault("missing") >= Rounds); // the admin routes ask the ApiKey scheme too
        Assert.Equal(Rounds, outcomes.GetValueOrDefault("malformed"));
        Assert.Equal(Rounds, outcomes.GetValueOrDefault("revoked"));
        Assert.Equal(Rounds - 1, decisions.GetMeasurementSnapshot().Where(m => (string)m.Tags["p2p.api_key.outcome"]! == "rate_limited").Sum(m => m.Value));

        async Task ExpectAsync(string path, string? header, string? value, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }

            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(expected, response.StatusCode);
            requests++;
        }
    }

    /// <summary>A key created through the admin endpoints is logged once, by the manager (1200), not again by the endpoint.</summary>
    [Fact]
    public async Task KeyCreated_ThroughAdminEndpoint_LoggedOnce()
    {
        using var data = shared.CreateDataClient(); // bootstraps the fixture's admin
        using var client = shared.CreateClient();
        var admin = await AdminSession.LogInAsync(client, "fixture-admin", "fixture admin passphrase 1");
        var id = (await admin.CreateKeyResponseAsync(new { name = "logged once" })).GetProperty("id").GetString()!;

        var lines = shared.Services.GetRequiredService<FakeLogCollector>().GetSnapshot()
            .Where(r => r.Level >= LogLevel.Information && r.Message.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();

        var line = Assert.Single(lines);
        Assert.Equal(1200, line.Id.Id);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.Authentication;

/// <summary>
/// The seam after each stage: what an observer (usage history, metrics) hears, with the key's snapshot where the key is
/// known, without the handler naming it.
/// </summary>
public sealed class ApiKeyOutcomeSeamTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.44");

    [Fact]
    public void OutcomeTable_EveryOutcome_HasOneRowInOrderAndEveryRefusalAFixedResult()
    {
        var rows = ApiKeyOutcomes.All.ToArray();
        Assert.Equal(Enum.GetValues<ApiKeyOutcome>(), rows.Select(r => r.Outcome));
        Assert.Equal(rows.Length, rows.Select(r => (string)r.MetricTag.Value!).Distinct().Count());
        foreach (var row in rows.Where(r => r.Stage == ApiKeyOutcomeStage.Verification && r.StatusCode != 200 && r.Outcome != ApiKeyOutcome.Missing))
        {
            var refusal = Assert.IsType<ApiKeyRefusedException>(row.Result!.Failure);
            Assert.Same(row, refusal.Outcome);
            Assert.NotNull(row.Failure);
        }
    }

    [Fact]
    public async Task Request_EachStage_ObserverHearsTheOutcomeWithTheKnownKeysSnapshot()
    {
        var observer = new RecordingObserver();
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: services => services.AddSingleton<IApiKeyOutcomeObserver>(observer));
        var (key, record) = await host.CreateKeyAsync(rateLimit: new ApiKeyRateLimit(1, TimeSpan.FromSeconds(3600)), owner: "acme");

        await SendAsync(host, "/read", key);      // verified, allowed
        await SendAsync(host, "/read", key);      // verified, rate limited
        await SendAsync(host, "/write", key);     // verified, forbidden (missing scope)
        await SendAsync(host, "/read", TestKeys.WithBadChecksum(key));
        await host.RevokeAsync(record);
        await SendAsync(host, "/read", key);      // a known key, refused after revocation

        Assert.Equal(
            [
                ApiKeyOutcome.Verified, ApiKeyOutcome.Allowed,
                ApiKeyOutcome.Verified, ApiKeyOutcome.RateLimited,
                ApiKeyOutcome.Verified, ApiKeyOutcome.Forbidden,
                ApiKeyOutcome.Malformed,
                ApiKeyOutcome.Revoked,
            ],
            observer.Outcomes.Select(o => o.Outcome));
        Assert.All(observer.Outcomes.Where(o => o.Outcome != ApiKeyOutcome.Malformed), o =>
        {
            Assert.Equal(record.Id, o.KeyId);
            Assert.Equal("acme", o.Owner);
            Assert.Equal(Client, o.Client);
        });
        Assert.Null(Assert.Single(observer.Outcomes, o => o.Outcome == ApiKeyOutcome.Malformed).KeyId);
        Assert.True(observer.Outcomes.Single(o => o.Outcome == ApiKeyOutcome.Revoked).RefusesKnownKey);
    }

    [Fact]
    public async Task Request_UnknownKeyOrWrongSecret_ObserverHearsNoSnapshot()
    {
        var observer = new RecordingObserver();
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: services => services.AddSingleton<IApiKeyOutcomeObserver>(observer));
        var (key, _) = await host.CreateKeyAsync();
        var (other, _) = await host.CreateKeyAsync();
        // The first key's lookup id with the second key's secret, checksum recomputed: well formed, wrong secret.
        var wrongSecret = TestKeys.WithChecksum(key[..17] + other[17..^P2P.ApiKeys.KeyFormat.ApiKeyFormat.ChecksumLength]);

        await SendAsync(host, "/read", wrongSecret);

        var outcome = Assert.Single(observer.Outcomes);
        Assert.Equal(ApiKeyOutcome.InvalidSecret, outcome.Outcome);
        Assert.Null(outcome.KeyId);
    }

    private static Task SendAsync(ApiKeyTestHost host, string path, string key) =>
        host.SendRawAsync(path, request =>
        {
            request.HttpContext.Connection.RemoteIpAddress = Client;
            request.Headers["X-API-Key"] = key;
        });

    private sealed record Heard(ApiKeyOutcome Outcome, Guid? KeyId, string? Owner, IPAddress? Client, bool RefusesKnownKey);

    private sealed class RecordingObserver : IApiKeyOutcomeObserver
    {
        public List<Heard> Outcomes { get; } = [];

        public bool TimesVerifications => false;

        public void OnOutcome(in ApiKeyOutcomeEvent outcome)
        {
            lock (Outcomes)
            {
                Outcomes.Add(new Heard(outcome.Outcome.Outcome, outcome.Key?.Id, outcome.Key?.Owner, outcome.Client, outcome.Outcome.RefusesKnownKey));
            }
        }
    }
}

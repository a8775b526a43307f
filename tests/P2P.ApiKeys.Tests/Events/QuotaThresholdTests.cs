using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Events;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Events;

/// <summary>
/// Issue 24: <c>api_key.quota_threshold</c> at 0.8 and 1.0 of a quota, once per lineage and period, with three nodes
/// observing the limit stage of the seam and one outbox; a rotation's replacement (same lineage) adds nothing; a new
/// period starts over.
/// </summary>
public sealed class QuotaThresholdTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Thresholds_ThreeNodesOneLineage_OncePerFractionAndPeriod()
    {
        var outbox = new InMemoryApiKeyEventOutbox();
        var nodes = Enumerable.Range(0, 3).Select(_ => new ApiKeyQuotaThresholds(Options.Create(new ApiKeyEventOptions()))).ToList();
        var lineage = Guid.CreateVersion7();
        var first = Key(lineage);
        var replacement = Key(lineage);
        var day1 = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

        // Each node sees the counts its own requests got back (the counter is shared, per lineage).
        foreach (var used in new long[] { 1, 5, 7, 8, 9, 10, 10, 11 })
        {
            foreach (var node in nodes)
            {
                Observe(node, used % 2 == 0 ? first : replacement, used, day1);
            }
        }

        foreach (var node in nodes)
        {
            await node.FlushAsync(outbox, Ct);
        }

        var rows = outbox.Snapshot();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(ApiKeyEventTypes.QuotaThreshold, r.Type));
        Assert.Equal([0.8, 1.0], rows.Select(r => System.Text.Json.JsonDocument.Parse(r.Data).RootElement.GetProperty("threshold").GetDouble()).Order());

        // The next day is a new period: a jump straight to 100 % sends both fractions again, once.
        foreach (var node in nodes)
        {
            Observe(node, first, 10, day1.AddDays(1));
            await node.FlushAsync(outbox, Ct);
        }

        Assert.Equal(4, outbox.Snapshot().Count);

        // Below every fraction, or a limit-stage outcome of a key without a quota: nothing.
        Observe(nodes[0], Key(Guid.CreateVersion7()), 7, day1);
        Assert.Equal(0, await nodes[0].FlushAsync(outbox, Ct));
    }

    private static void Observe(ApiKeyQuotaThresholds node, VerifiedApiKey key, long used, DateTimeOffset at) =>
        ((IApiKeyOutcomeObserver)node).OnOutcome(new ApiKeyOutcomeEvent(
            ApiKeyOutcomes.Of(ApiKeyOutcome.Allowed), at, key, key.LookupId, new DefaultHttpContext(), limitChecked: true, quotaUsed: used));

    private static VerifiedApiKey Key(Guid lineage)
    {
        var id = Guid.CreateVersion7();
        var record = new ApiKeyRecord
        {
            Id = id,
            LineageId = lineage,
            LookupId = id.ToString("N")[..12],
            SecretHash = new byte[32],
            Name = "metered",
            Owner = "acme",
            Quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Day),
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        return VerifiedApiKey.Create(record, DateTimeOffset.MaxValue, "ApiKey");
    }
}

using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>What every <see cref="IApiKeyUsageStore"/> must do: add increments (never overwrite), merge client sketches, list one query's buckets, prune in batches.</summary>
public abstract class ApiKeyUsageStoreConformanceTests
{
    protected static readonly DateTimeOffset Hour = new(2026, 3, 14, 15, 0, 0, TimeSpan.Zero);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IApiKeyUsageStore> CreateStoreAsync();

    protected static ApiKeyUsageRecord Increment(
        Guid keyId, DateTimeOffset start, long allowed = 0, long rateLimited = 0, long quotaExhausted = 0, long forbidden = 0, long refused = 0,
        string? owner = "alice", ApiKeyUsageGranularity granularity = ApiKeyUsageGranularity.Hour, Guid? lineageId = null, params int[] clients)
    {
        var record = new ApiKeyUsageRecord
        {
            KeyId = keyId,
            LineageId = lineageId ?? keyId,
            Owner = owner,
            Granularity = granularity,
            Start = start,
            Allowed = allowed,
            RateLimited = rateLimited,
            QuotaExhausted = quotaExhausted,
            Forbidden = forbidden,
            Refused = refused,
        };
        if (clients.Length > 0)
        {
            record.ClientSketch = ApiKeyClientSketch.Create();
            foreach (var client in clients)
            {
                ApiKeyClientSketch.Add(record.ClientSketch, ApiKeyClientSketch.Hash(BitConverter.GetBytes(client)));
            }
        }

        return record;
    }

    private static ApiKeyUsageFilter Range(ApiKeyUsageGranularity granularity = ApiKeyUsageGranularity.Hour, Guid? keyId = null, string? owner = null) => new()
    {
        Granularity = granularity,
        From = Hour.AddDays(-1),
        To = Hour.AddDays(1),
        KeyId = keyId,
        Owner = owner,
    };

    [Fact]
    public async Task AddAsync_TwiceToOneBucket_AddsTheCountsOfBoth()
    {
        var store = await CreateStoreAsync();
        var key = Guid.CreateVersion7();

        await store.AddAsync([Increment(key, Hour, allowed: 3, rateLimited: 1, clients: [1, 2])], Ct);
        await store.AddAsync([Increment(key, Hour, allowed: 4, quotaExhausted: 2, forbidden: 5, refused: 6, clients: [2, 3])], Ct);

        var bucket = Assert.Single(await store.ListAsync(Range(keyId: key), Ct));
        Assert.Equal((7L, 1L, 2L, 5L, 6L), (bucket.Allowed, bucket.RateLimited, bucket.QuotaExhausted, bucket.Forbidden, bucket.Refused));
        Assert.Equal(3, bucket.Clients);
        Assert.Equal(Hour, bucket.Start);
        Assert.Equal("alice", bucket.Owner);
    }

    [Fact]
    public async Task AddAsync_ManyWritersAtOnce_LoseNoIncrement()
    {
        var store = await CreateStoreAsync();
        var key = Guid.CreateVersion7();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            async () =>
            {
                for (var j = 0; j < 5; j++)
                {
                    await store.AddAsync([Increment(key, Hour, allowed: 1, refused: 2, clients: [i]), Increment(key, Hour, granularity: ApiKeyUsageGranularity.Day, allowed: 1)], Ct);
                }
            },
            Ct)));

        var hour = Assert.Single(await store.ListAsync(Range(keyId: key), Ct));
        Assert.Equal(40, hour.Allowed);
        Assert.Equal(80, hour.Refused);
        Assert.Equal(8, hour.Clients);
        Assert.Equal(40, Assert.Single(await store.ListAsync(Range(ApiKeyUsageGranularity.Day, keyId: key), Ct)).Allowed);
    }

    [Fact]
    public async Task ListAsync_ByOwner_ReturnsEveryKeyOfTheOwnerOnly_InTheRange()
    {
        var store = await CreateStoreAsync();
        var (a, b, other) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await store.AddAsync(
        [
            Increment(a, Hour, allowed: 1), Increment(a, Hour.AddHours(1), allowed: 2), Increment(b, Hour, forbidden: 3),
            Increment(other, Hour, allowed: 9, owner: "bob"), Increment(a, Hour.AddDays(-2), allowed: 100),
            Increment(a, Hour, allowed: 1, granularity: ApiKeyUsageGranularity.Day),
        ], Ct);

        var found = await store.ListAsync(Range(owner: "alice"), Ct);

        Assert.Equal(3, found.Count);
        Assert.All(found, f => Assert.Equal("alice", f.Owner));
        Assert.Equal(3, found.Where(f => f.KeyId == a).Sum(f => f.Allowed));
        Assert.Equal([Hour, Hour.AddHours(1)], found.Where(f => f.KeyId == a).Select(f => f.Start));
        Assert.Equal(3, found.Single(f => f.KeyId == b).Forbidden);
    }

    [Fact]
    public async Task PruneAsync_DeletesOnlyOlderBucketsOfTheGranularity_InBatches()
    {
        var store = await CreateStoreAsync();
        var key = Guid.CreateVersion7();
        await store.AddAsync([.. Enumerable.Range(0, 5).Select(i => Increment(key, Hour.AddHours(-i), allowed: 1)), Increment(key, Hour.AddDays(-3), allowed: 1, granularity: ApiKeyUsageGranularity.Day)], Ct);

        Assert.Equal(2, await store.PruneAsync(ApiKeyUsageGranularity.Hour, Hour.AddHours(-1), batchSize: 2, Ct));
        Assert.Equal(1, await store.PruneAsync(ApiKeyUsageGranularity.Hour, Hour.AddHours(-1), batchSize: 2, Ct));
        Assert.Equal(0, await store.PruneAsync(ApiKeyUsageGranularity.Hour, Hour.AddHours(-1), batchSize: 2, Ct));

        Assert.Equal([Hour.AddHours(-1), Hour], (await store.ListAsync(Range(keyId: key), Ct)).Select(b => b.Start));
        Assert.Single(await store.ListAsync(new ApiKeyUsageFilter { Granularity = ApiKeyUsageGranularity.Day, From = Hour.AddDays(-10), To = Hour }, Ct));
    }
}

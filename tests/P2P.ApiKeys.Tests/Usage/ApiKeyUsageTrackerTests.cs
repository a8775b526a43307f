using System.Net;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Usage;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Usage;

public sealed class ApiKeyUsageTrackerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Authenticate_ManyRequests_NoStoreWriteBeforeInterval()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = Interval);
        var (key, _) = await host.CreateKeyAsync();

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        }

        host.Time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, host.Store.UsageWrites);

        // The first flush runs at the interval, not before: one flush, one write, all 50 uses in it.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => Flushes(host) == 1);
        Assert.Equal(1, host.Store.UsageWrites);
        Assert.Single(Assert.Single(host.Store.UsageBatches));
    }

    [Fact]
    public async Task Flush_EachInterval_WritesLatestUseOnce()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = Interval);
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromSeconds(10));
        await host.GetAsync("/read", key);
        var lastUse = host.Time.GetUtcNow();

        host.Time.Advance(Interval - TimeSpan.FromSeconds(10));
        await WaitForAsync(() => host.Store.UsageWrites == 1);

        var batch = Assert.Single(host.Store.UsageBatches);
        var (id, usedAt) = Assert.Single(batch);
        Assert.Equal(record.Id, id);
        Assert.Equal(lastUse, usedAt);
        var stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(lastUse, stored!.LastUsedAt);

        // An interval without use writes nothing: the flush runs and finds nothing to write.
        host.Time.Advance(Interval);
        await WaitForAsync(() => Flushes(host) == 2);
        Assert.Equal(1, host.Store.UsageWrites);

        await host.GetAsync("/read", key);
        host.Time.Advance(Interval);
        await WaitForAsync(() => host.Store.UsageWrites == 2);
    }

    [Fact]
    public async Task Flush_UsesWithinPrecision_WritesTheFirstWithinPrecisionOfTheLatest()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = Interval);
        var (key, record) = await host.CreateKeyAsync();
        var first = host.Time.GetUtcNow();
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromMilliseconds(400));
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromMilliseconds(500));
        await host.GetAsync("/read", key);
        var latest = host.Time.GetUtcNow();

        host.Time.Advance(Interval - TimeSpan.FromMilliseconds(900));
        await WaitForAsync(() => host.Store.UsageWrites == 1);

        // Uses less than a second after the time waiting are not written down: the hot path then writes nothing.
        var stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(first, stored!.LastUsedAt);
        Assert.True(latest - stored.LastUsedAt < ApiKeyUsageTracker.Precision);
    }

    [Fact]
    public async Task Flush_UseAPrecisionAfterTheTimeWaiting_WritesThatUse()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = Interval);
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromMilliseconds(500));
        await host.GetAsync("/read", key);
        host.Time.Advance(ApiKeyUsageTracker.Precision - TimeSpan.FromMilliseconds(500));
        await host.GetAsync("/read", key);
        var latest = host.Time.GetUtcNow();

        host.Time.Advance(Interval - ApiKeyUsageTracker.Precision);
        await WaitForAsync(() => host.Store.UsageWrites == 1);
        var stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(latest, stored!.LastUsedAt);

        // After a flush the next use is recorded at once, however close to the last one.
        host.Time.Advance(TimeSpan.FromMilliseconds(100));
        await host.GetAsync("/read", key);
        var afterFlush = host.Time.GetUtcNow();
        host.Time.Advance(Interval - TimeSpan.FromMilliseconds(100));
        await WaitForAsync(() => host.Store.UsageWrites == 2);
        stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(afterFlush, stored!.LastUsedAt);
    }

    [Fact]
    public async Task Record_ParallelUsesOfOneKey_KeepsOneTimeWithinPrecisionOfTheLatest()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = TimeSpan.FromHours(1));
        var tracker = host.App.Services.GetRequiredService<ApiKeyUsageTracker>();
        var keyId = Guid.NewGuid();
        var start = ApiKeyTestHost.Start;

        // Real parallel callers, each with its own rising clock (100 ms steps), as requests on many cores.
        await Parallel.ForAsync(0, 8, TestContext.Current.CancellationToken, (worker, _) =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                tracker.Record(keyId, start + TimeSpan.FromMilliseconds((i * 100) + worker));
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(1, tracker.PendingCount);
        await tracker.FlushAsync(TestContext.Current.CancellationToken);
        var (id, usedAt) = Assert.Single(Assert.Single(host.Store.UsageBatches));
        Assert.Equal(keyId, id);
        var latest = start + TimeSpan.FromMilliseconds((999 * 100) + 7);
        Assert.InRange(usedAt, latest - ApiKeyUsageTracker.Precision, latest);
    }

    [Fact]
    public async Task StopAsync_PendingUsage_IsFlushed()
    {
        var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = TimeSpan.FromHours(1));
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);

        await host.App.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, host.Store.UsageWrites);
        var stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ApiKeyTestHost.Start, stored!.LastUsedAt);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Flush_AfterRevocation_DoesNotUndoIt()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = Interval);
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.RevokeAsync(record);
        var revokedAt = host.Time.GetUtcNow();

        host.Time.Advance(Interval);
        await WaitForAsync(() => host.Store.UsageWrites == 1);

        var stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(revokedAt, stored!.RevokedAt);
        Assert.Equal(ApiKeyTestHost.Start, stored.LastUsedAt);
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Flush_StoreDown_KeepsTimesForNextFlush()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = Interval);
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);
        host.Store.Failure = new TimeoutException();

        host.Time.Advance(Interval);
        await WaitForAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Name == "ApiKeyUsageFlushFailed"));
        host.Store.Failure = null;
        host.Time.Advance(Interval);
        await WaitForAsync(() => host.Store.UsageWrites == 1);

        var stored = await host.Store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ApiKeyTestHost.Start, stored!.LastUsedAt);
    }

    [Fact]
    public async Task Flush_PendingKeysReachCacheSizeLimit_FlushesBeforeTheInterval()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o =>
        {
            o.LastUsedFlushInterval = TimeSpan.FromHours(1);
            o.CacheSizeLimit = 3;
        });
        var keys = new[] { await host.CreateKeyAsync(), await host.CreateKeyAsync(), await host.CreateKeyAsync() };

        await host.GetAsync("/read", keys[0].Key);
        await host.GetAsync("/read", keys[1].Key);
        await host.GetAsync("/read", keys[1].Key);
        Assert.Equal(0, host.Store.UsageAttempts);

        await host.GetAsync("/read", keys[2].Key);
        await WaitForAsync(() => Flushes(host) == 1);

        // One early flush, with all three keys: none ran at two keys (its batch would lack the third).
        Assert.Equal(1, host.Store.UsageWrites);
        var batch = Assert.Single(host.Store.UsageBatches);
        Assert.Equal(keys.Select(k => k.Record.Id).Order(), batch.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Flush_StoreDownWhenLimitIsReached_TriesOnceThenWaitsForTheInterval()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o =>
        {
            o.LastUsedFlushInterval = Interval;
            o.CacheSizeLimit = 3;
            o.CacheTtl = TimeSpan.FromHours(2); // the keys stay cached while the store is down
        });
        var keys = new[] { await host.CreateKeyAsync(), await host.CreateKeyAsync(), await host.CreateKeyAsync() };
        foreach (var (key, _) in keys)
        {
            await host.GetAsync("/read", key);
        }

        await WaitForAsync(() => host.Store.UsageWrites == 1);
        host.Store.Failure = new TimeoutException();
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var lastUse = host.Time.GetUtcNow();
        foreach (var (key, _) in keys)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        }

        await WaitForAsync(() => host.Store.UsageAttempts == 2);
        for (var i = 0; i < 20; i++)
        {
            await host.GetAsync("/read", keys[i % 3].Key);
        }

        host.Store.Failure = null;
        host.Time.Advance(Interval);
        await WaitForAsync(() => Flushes(host) == 3);

        // Kept for the interval's flush, not retried in a loop: the early flush, the failed one, the interval's.
        Assert.Equal(3, host.Store.UsageAttempts);
        Assert.Equal(2, host.Store.UsageWrites);
        Assert.All(host.Store.UsageBatches[1], p => Assert.Equal(lastUse, p.Value));
        Assert.Equal(3, host.Store.UsageBatches[1].Count);
    }

    private static int Flushes(ApiKeyTestHost host) => host.Services.GetRequiredService<ApiKeyUsageTracker>().CompletedFlushes;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // The flush runs on the background service after the fake clock ticks: poll for the state it leaves.
        // The limit only keeps a broken build from hanging the run; no assertion depends on how long it took.
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        hang.CancelAfter(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(10, hang.Token);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Testing;
using StackExchange.Redis;

namespace P2P.ApiKeys.Redis.Tests.RateLimiting;

/// <summary>
/// The Redis limiter on a real redis-server: nodes are separate service providers with their own connections. Windows
/// are a day long so that none ends during a test (Redis's clock is real).
/// </summary>
public sealed class RedisApiKeyLimiterTests
{
    private static readonly ApiKeyRateLimit PerDay60 = new(60, TimeSpan.FromDays(1));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One node: the library with the Redis limiter, its own connection, fake logs.</summary>
    private sealed class Node : IAsyncDisposable
    {
        public Node(string configuration, TimeProvider? clock = null, Action<IServiceCollection>? services = null)
        {
            var collection = new ServiceCollection();
            collection.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
            if (clock is not null)
            {
                collection.AddSingleton(clock);
            }

            services?.Invoke(collection);
            var builder = collection.AddApiKeyAuth().AddInMemoryStores();
            if (configuration.Length > 0)
            {
                builder.AddRedisRateLimits(configuration, o => o.DecisionTimeout = TimeSpan.FromSeconds(2));
            }
            else
            {
                builder.AddRedisRateLimits(o => o.DecisionTimeout = TimeSpan.FromSeconds(2));
            }

            Services = collection.BuildServiceProvider();
            Limiter = (RedisApiKeyLimiter)Services.GetRequiredService<IApiKeyLimiter>();
        }

        public ServiceProvider Services { get; }

        public RedisApiKeyLimiter Limiter { get; }

        public FakeLogCollector Logs => Services.GetFakeLogCollector();

        /// <summary>Waits until the node's own connection is up, so that the first decision goes to Redis.</summary>
        public async Task ConnectedAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await Limiter.GetStatusAsync(Guid.NewGuid(), PerDay60, null, Ct);
            while (Limiter.IsFallingBack)
            {
                await Task.Delay(50, timeout.Token);
                await Limiter.GetStatusAsync(Guid.NewGuid(), PerDay60, null, Ct);
            }
        }

        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_TwoNodesInParallel_AdmitExactlyTheLimitTogether()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var a = new Node(server.Configuration);
        await using var b = new Node(server.Configuration);
        await a.ConnectedAsync();
        await b.ConnectedAsync();
        var key = Guid.NewGuid();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(
            async () => await (i % 2 == 0 ? a : b).Limiter.AcquireAsync(key, PerDay60, null, 1, Ct), Ct)));

        Assert.Equal(60, decisions.Count(d => d.IsAllowed));
        Assert.All(decisions.Where(d => !d.IsAllowed), d => Assert.Equal(ApiKeyLimitKind.RateLimit, d.RejectedBy));
        Assert.Equal(60, (await a.Limiter.GetStatusAsync(key, PerDay60, null, Ct)).RateLimitUsed);
        Assert.False(a.Limiter.IsFallingBack);
        Assert.False(b.Limiter.IsFallingBack);
    }

    [Fact]
    public async Task AcquireWithOwner_ThreeNodesNineKeysOfOneOwner_AdmitExactlyTheOwnerQuota()
    {
        await using var server = await RedisServer.StartNewAsync();
        var nodes = new[] { new Node(server.Configuration), new Node(server.Configuration), new Node(server.Configuration) };
        try
        {
            foreach (var node in nodes)
            {
                await node.ConnectedAsync();
            }

            var owner = Guid.NewGuid(); // an owner's budget id (the library derives it from the owner's name)
            var ownerQuota = new ApiKeyQuota(25, ApiKeyQuotaPeriod.Month);
            var keyRate = new ApiKeyRateLimit(4, TimeSpan.FromDays(1));
            var keys = Enumerable.Range(0, 9).Select(_ => Guid.NewGuid()).ToArray();

            var decisions = await Task.WhenAll(Enumerable.Range(0, 90).Select(i => Task.Run(
                async () => await nodes[i % 3].Limiter.AcquireAsync(keys[i % 9], keyRate, null, owner, null, ownerQuota, 1, Ct), Ct)));

            // 9 keys × 4 = 36 fit the keys' own limits; the owner's quota of 25 binds, exactly, across the three nodes.
            Assert.Equal(25, decisions.Count(d => d.IsAllowed));
            var ownerStatus = await nodes[0].Limiter.GetStatusAsync(owner, null, ownerQuota, Ct);
            Assert.Equal(25, ownerStatus.QuotaUsed);
            long keysUsed = 0;
            foreach (var key in keys)
            {
                keysUsed += (await nodes[1].Limiter.GetStatusAsync(key, keyRate, null, Ct)).RateLimitUsed;
            }

            Assert.Equal(25, keysUsed); // refused requests counted in no key either
            Assert.All(decisions.Where(d => !d.IsAllowed), d => Assert.True(
                d.Owner.RejectedBy == ApiKeyLimitKind.Quota || d.Key.RejectedBy == ApiKeyLimitKind.RateLimit));
            Assert.All(nodes, n => Assert.False(n.Limiter.IsFallingBack));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AcquireWithOwner_KeyRefuses_OwnerCountsNothing()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var node = new Node(server.Configuration);
        await node.ConnectedAsync();
        var key = Guid.NewGuid();
        var owner = Guid.NewGuid();
        var keyRate = new ApiKeyRateLimit(2, TimeSpan.FromDays(1), ApiKeyRateLimitAlgorithm.Gcra, 2);
        var ownerQuota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Week, anchorDay: 3);

        var decisions = new List<ApiKeyBudgetStatus>();
        for (var i = 0; i < 5; i++)
        {
            decisions.Add(await node.Limiter.AcquireAsync(key, keyRate, null, owner, null, ownerQuota, 1, Ct));
        }

        Assert.Equal([true, true, false, false, false], decisions.ConvertAll(d => d.IsAllowed));
        Assert.Equal(ApiKeyLimitKind.RateLimit, decisions[2].Key.RejectedBy);
        Assert.Equal(2, (await node.Limiter.GetStatusAsync(owner, null, ownerQuota, Ct)).QuotaUsed);
        Assert.Equal(2, decisions[1].Owner.QuotaUsed);
    }

    [Fact]
    public async Task AcquireAsync_RefusedRequests_AreCountedInNeitherLimit()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var node = new Node(server.Configuration);
        await node.ConnectedAsync();
        var key = Guid.NewGuid();
        var rate = new ApiKeyRateLimit(2, TimeSpan.FromDays(1));
        var quota = new ApiKeyQuota(3, ApiKeyQuotaPeriod.Month);

        var decisions = new List<ApiKeyLimitStatus>();
        for (var i = 0; i < 5; i++)
        {
            decisions.Add(await node.Limiter.AcquireAsync(key, rate, quota, 1, Ct));
        }

        var heavy = await node.Limiter.AcquireAsync(key, null, quota, 2, Ct); // 2 + 2 > 3: refused by the quota
        var light = await node.Limiter.AcquireAsync(key, null, quota, 1, Ct);
        var status = await node.Limiter.GetStatusAsync(key, rate, quota, Ct);

        Assert.Equal([true, true, false, false, false], decisions.Select(d => d.IsAllowed));
        Assert.Equal(ApiKeyLimitKind.Quota, heavy.RejectedBy);
        Assert.True(light.IsAllowed);
        Assert.Equal(2, status.RateLimitUsed);
        Assert.Equal(3, status.QuotaUsed);
    }

    [Fact]
    public async Task Quota_NodeAndRedisRestarted_CountSurvives()
    {
        await using var server = await RedisServer.StartNewAsync();
        var key = Guid.NewGuid();
        var quota = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Month);
        await using (var first = new Node(server.Configuration))
        {
            await first.ConnectedAsync();
            for (var i = 0; i < 4; i++)
            {
                Assert.True((await first.Limiter.AcquireAsync(key, null, quota, 1, Ct)).IsAllowed);
            }
        }

        await server.StopAsync();
        await server.StartAsync();

        await using var second = new Node(server.Configuration);
        await second.ConnectedAsync();
        Assert.Equal(4, (await second.Limiter.GetStatusAsync(key, null, quota, Ct)).QuotaUsed);
        Assert.True((await second.Limiter.AcquireAsync(key, null, quota, 6, Ct)).IsAllowed);
        Assert.Equal(ApiKeyLimitKind.Quota, (await second.Limiter.AcquireAsync(key, null, quota, 1, Ct)).RejectedBy);
    }

    [Theory]
    [InlineData(ApiKeyQuotaPeriod.Day)]
    [InlineData(ApiKeyQuotaPeriod.Month)]
    public async Task Quota_Reset_IsTheUtcCalendarBoundaryOnRedisClockNotTheNodes(ApiKeyQuotaPeriod period)
    {
        await using var server = await RedisServer.StartNewAsync();

        // The node's clock is 25 years off; the limiter must not care.
        await using var node = new Node(server.Configuration, new FakeTimeProvider(new DateTimeOffset(2001, 1, 31, 23, 0, 0, TimeSpan.Zero)));
        await node.ConnectedAsync();
        var quota = new ApiKeyQuota(5, period);

        var before = DateTimeOffset.UtcNow;
        var status = await node.Limiter.AcquireAsync(Guid.NewGuid(), new ApiKeyRateLimit(5, TimeSpan.FromSeconds(3600)), quota, 1, Ct);
        var after = DateTimeOffset.UtcNow;

        // Redis runs on this machine's real clock: its reset lands on the real calendar boundary.
        var expected = quota.PeriodEnd(before);
        var resetAt = before + status.QuotaReset;
        Assert.InRange(resetAt, expected - (after - before) - TimeSpan.FromSeconds(1), expected + TimeSpan.FromSeconds(1));
        Assert.InRange(status.RateLimitReset, TimeSpan.Zero, TimeSpan.FromSeconds(3600));
        Assert.Equal(1, status.QuotaUsed);
    }

    [Fact]
    public async Task RedisStoppedAndRestarted_FallsBackLocallyLoggedOnceCountedThenReturnsToRedis()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var node = new Node(server.Configuration);
        await node.ConnectedAsync();
        using var fallbacks = new MetricCollector<long>(node.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "P2P.ApiKeys", RedisApiKeyLimiter.FallbacksName);
        var key = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await node.Limiter.AcquireAsync(key, PerDay60, null, 1, Ct)).IsAllowed);
        }

        await server.StopAsync();
        var during = new List<ApiKeyLimitStatus>();
        for (var i = 0; i < 5; i++)
        {
            during.Add(await node.Limiter.AcquireAsync(key, PerDay60, null, 1, Ct));
        }

        Assert.All(during, d => Assert.True(d.IsAllowed));
        Assert.True(node.Limiter.IsFallingBack);
        Assert.Equal(5, fallbacks.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(node.Logs.GetSnapshot(), r => r.Id.Name == "RedisRateLimitFallback");

        await server.StartAsync();
        await node.ConnectedAsync();

        // Back on Redis: its count went on from where Redis had it; the local decisions stayed local.
        var back = await node.Limiter.AcquireAsync(key, PerDay60, null, 1, Ct);
        Assert.True(back.IsAllowed);
        Assert.Equal(4, back.RateLimitUsed);
        Assert.False(node.Limiter.IsFallingBack);
        Assert.Single(node.Logs.GetSnapshot(), r => r.Id.Name == "RedisRateLimitFallback");
        Assert.Single(node.Logs.GetSnapshot(), r => r.Id.Name == "RedisRateLimitRestored");
    }

    [Fact]
    public async Task RedisUnreachableAtStart_DecidesLocallyAtOnce()
    {
        await using var server = await RedisServer.StartNewAsync();
        var configuration = server.Configuration;
        await server.StopAsync();

        await using var node = new Node(configuration);
        var status = await node.Limiter.AcquireAsync(Guid.NewGuid(), PerDay60, null, 1, Ct);

        Assert.True(status.IsAllowed);
        Assert.True(node.Limiter.IsFallingBack);
        Assert.Equal(1, status.RateLimitUsed);
    }

    [Fact]
    public async Task NoConfiguration_UsesTheRegisteredConnectionMultiplexer()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var shared = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var node = new Node("", services: s => s.AddSingleton<IConnectionMultiplexer>(shared));
        var key = Guid.NewGuid();

        await node.Limiter.AcquireAsync(key, PerDay60, null, 1, Ct);

        Assert.False(node.Limiter.IsFallingBack);
        Assert.True(await shared.GetDatabase().KeyExistsAsync(RedisRateLimitOptions.DefaultKeyPrefix + key.ToString("N")));
    }

    [Fact]
    public async Task WindowOrPeriodChanged_CountKept_ResetClearsIt()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var node = new Node(server.Configuration);
        await node.ConnectedAsync();
        var key = Guid.NewGuid();
        var hour = new ApiKeyRateLimit(5, TimeSpan.FromHours(1));
        var day = new ApiKeyRateLimit(5, TimeSpan.FromDays(1));
        var daily = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Day);
        var monthly = new ApiKeyQuota(10, ApiKeyQuotaPeriod.Month);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await node.Limiter.AcquireAsync(key, hour, daily, 1, Ct)).IsAllowed);
        }

        var changed = await node.Limiter.AcquireAsync(key, day, monthly, 1, Ct);

        Assert.True(changed.IsAllowed);
        Assert.Equal(4, changed.RateLimitUsed);
        Assert.Equal(4, changed.QuotaUsed);

        await node.Limiter.ResetAsync(key, Ct);
        var status = await node.Limiter.GetStatusAsync(key, day, monthly, Ct);
        Assert.Equal(0, status.RateLimitUsed);
        Assert.Equal(0, status.QuotaUsed);
    }

    /// <summary>
    /// Three nodes, each with its own connection, hammer one GCRA budget for about two seconds of Redis's (real) clock: the
    /// total admitted never exceeds burst + floor(elapsed × limit / window), elapsed measured around the whole run.
    /// </summary>
    [Fact]
    public async Task Gcra_ThreeNodesInParallel_NoOverAdmission()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var a = new Node(server.Configuration);
        await using var b = new Node(server.Configuration);
        await using var c = new Node(server.Configuration);
        Node[] nodes = [a, b, c];
        foreach (var node in nodes)
        {
            await node.ConnectedAsync();
        }

        var key = Guid.NewGuid();
        var rate = new ApiKeyRateLimit(20, TimeSpan.FromSeconds(1), ApiKeyRateLimitAlgorithm.Gcra, burst: 5);
        var admitted = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(worker => Task.Run(async () =>
        {
            var node = nodes[worker % 3];
            while (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                if ((await node.Limiter.AcquireAsync(key, rate, null, 1, Ct)).IsAllowed)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        }, Ct)));
        var elapsed = clock.Elapsed;

        var bound = 5 + (long)Math.Floor(elapsed.TotalMilliseconds * 20 / 1000);
        TestContext.Current.TestOutputHelper?.WriteLine($"admitted {admitted} in {elapsed.TotalMilliseconds:F0} ms; bound {bound}");
        Assert.InRange(admitted, 5 + 20, bound); // over-admission 0; and the rate did flow
        Assert.All(nodes, n => Assert.False(n.Limiter.IsFallingBack));
    }

    /// <summary>Every weekly and monthly anchor ends its period where the C# model says, on Redis's (real) clock.</summary>
    [Fact]
    public async Task AnchoredPeriods_EndWhereTheModelSays()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var node = new Node(server.Configuration);
        await node.ConnectedAsync();
        var quotas = Enumerable.Range(1, 7).Select(d => new ApiKeyQuota(5, ApiKeyQuotaPeriod.Week, d))
            .Concat(Enumerable.Range(1, 28).Select(d => new ApiKeyQuota(5, ApiKeyQuotaPeriod.Month, d)));
        foreach (var quota in quotas)
        {
            var before = DateTimeOffset.UtcNow;
            var status = await node.Limiter.AcquireAsync(Guid.NewGuid(), null, quota, 1, Ct);
            var after = DateTimeOffset.UtcNow;

            var expected = quota.PeriodEnd(before);
            Assert.True(expected == quota.PeriodEnd(after), "A period ended during the test; run it again.");
            Assert.InRange(before + status.QuotaReset, expected - (after - before) - TimeSpan.FromSeconds(1), expected + TimeSpan.FromSeconds(1));
        }
    }
}

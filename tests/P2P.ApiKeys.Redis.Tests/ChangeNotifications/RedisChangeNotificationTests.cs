using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Testing;
using StackExchange.Redis;

namespace P2P.ApiKeys.Redis.Tests.ChangeNotifications;

/// <summary>
/// Two nodes with their own verification caches (10-minute CacheTtl) over one key store, told of changes through
/// a real redis-server of the test's own, which the chaos test kills and restarts. Every wait is bounded far
/// below the CacheTtl and ends on a deterministic signal (a refusal, a connection metric), never on a fixed sleep.
/// </summary>
public sealed class RedisChangeNotificationTests
{
    private static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60); // a hang guard under load, far below the CacheTtl

    // One store shared by both nodes stands for their shared database; the caches stay per node.
    private readonly IApiKeyStore _store = InMemoryStore();

    [Fact]
    public async Task Revoke_OnOneNode_OtherNodeRefusesPromptlyDespiteALongCacheTtl()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var nodeA = await StartNodeAsync(redis.Configuration);
        await using var nodeB = await StartNodeAsync(redis.Configuration);
        await nodeA.WaitUntilConnectedAsync(1, Prompt);
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key)); // cached on B for 10 minutes

        await nodeA.RevokeAsync(record);

        Assert.Equal(HttpStatusCode.Unauthorized, await nodeA.StatusAsync(key));
        await nodeB.WaitUntilRefusedAsync(key, Prompt, "the Redis message from node A did not evict it");
    }

    [Fact]
    public async Task RedisRestarted_BetweenWarmUpAndRevocation_RefusedWithinCacheTtlThenFastAgain()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var nodeA = await StartNodeAsync(redis.Configuration);
        await using var nodeB = await StartNodeAsync(redis.Configuration);
        await nodeA.WaitUntilConnectedAsync(1, Prompt);
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (first, firstRecord) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(first)); // warm-up: cached on B

        // Chaos: Redis dies; the revocation happens while nobody can be told.
        await redis.StopAsync();
        await nodeB.WaitUntilDisconnectedAsync(1, TimeSpan.FromSeconds(60));
        await nodeA.RevokeAsync(firstRecord); // the publish fails or times out; the revocation still succeeds
        Assert.Equal(HttpStatusCode.Unauthorized, await nodeA.StatusAsync(first));
        await redis.StartAsync();

        // B missed the message; it clears its cache once its subscription works again, well within CacheTtl.
        await nodeB.WaitUntilConnectedAsync(2, TimeSpan.FromSeconds(60));
        await nodeB.WaitUntilRefusedAsync(first, Prompt, "it was not refused after the subscription came back");

        // After the reconnection, propagation is immediate again.
        await nodeA.WaitUntilConnectedAsync(2, TimeSpan.FromSeconds(60));
        var (second, secondRecord) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(second));
        await nodeA.RevokeAsync(secondRecord);
        await nodeB.WaitUntilRefusedAsync(second, Prompt, "the Redis message after reconnection did not evict it");
    }

    [Fact]
    public async Task AddRedisChangeNotifications_ConnectionMultiplexerFromServices_PublishesAndSubscribes()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var shared = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var nodeA = await StartNodeAsync(redis.Configuration);
        await using var nodeB = await ChangeNotificationNode.StartAsync(CacheTtl, (services, auth) =>
        {
            services.AddSingleton<IApiKeyStore>(_store);
            services.AddSingleton<IConnectionMultiplexer>(shared);
            auth.AddInMemoryStores().AddRedisChangeNotifications();
        });
        await nodeA.WaitUntilConnectedAsync(1, Prompt);
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key));

        await nodeA.RevokeAsync(record);

        await nodeB.WaitUntilRefusedAsync(key, Prompt, "the node on a registered IConnectionMultiplexer did not subscribe");
        Assert.True(shared.IsConnected); // the notifier does not own, so does not close, a registered connection
    }

    [Fact]
    public async Task AddRedisChangeNotifications_ForeignMessages_IgnoredAndTheCacheKept()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var nodeB = await StartNodeAsync(redis.Configuration);
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeB.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key));
        var stored = (await _store.FindByIdAsync(record.Id, TestContext.Current.CancellationToken))!;
        stored.RevokedAt = DateTimeOffset.UtcNow;
        Assert.Equal(ApiKeyStoreResult.Success, await _store.UpdateAsync(stored, TestContext.Current.CancellationToken)); // behind the cache's back

        await using var other = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await other.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisChangeNotificationOptions.DefaultChannel), "!probe:someone-else");
        await other.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisChangeNotificationOptions.DefaultChannel), "not a lookup id");
        await other.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisChangeNotificationOptions.DefaultChannel), record.LookupId);

        // Messages on one channel arrive in order: once the last one evicted, the two before were seen and ignored.
        await nodeB.WaitUntilRefusedAsync(key, Prompt, "the lookup id published last did not evict it");
        Assert.Equal(1, nodeB.Connections); // a foreign probe is no reason to clear the cache
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("pattern*")]
    public async Task Start_InvalidChannel_FailsWithAClearMessage(string channel)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => ChangeNotificationNode.StartAsync(CacheTtl, (_, auth) =>
            auth.AddInMemoryStores().AddRedisChangeNotifications("127.0.0.1:1", o => o.Channel = channel)));

        Assert.Contains("RedisChangeNotificationOptions.Channel", exception.Message, StringComparison.Ordinal);
    }

    private Task<ChangeNotificationNode> StartNodeAsync(string configuration) =>
        ChangeNotificationNode.StartAsync(CacheTtl, (services, auth) =>
        {
            services.AddSingleton<IApiKeyStore>(_store);
            auth.AddInMemoryStores().AddRedisChangeNotifications(configuration, o => o.RetryInterval = TimeSpan.FromMilliseconds(200));
        });

    /// <summary>The library's in-memory store, as AddInMemoryStores registers it, to share between the two nodes.</summary>
    private static IApiKeyStore InMemoryStore()
    {
        var services = new ServiceCollection();
        services.AddApiKeyAuth().AddInMemoryStores();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IApiKeyStore>();
    }
}

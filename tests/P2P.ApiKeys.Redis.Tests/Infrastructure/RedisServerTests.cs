using P2P.ApiKeys.Testing;
using StackExchange.Redis;

namespace P2P.ApiKeys.Redis.Tests.Infrastructure;

/// <summary>The test's own redis-server: starts, answers, keeps its data across a restart.</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task RedisServer_Restarted_KeepsDataAndAcceptsConnections()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration))
        {
            await connection.GetDatabase().StringSetAsync("p2p:test", "kept");
        }

        await server.StopAsync();
        Assert.False(server.IsRunning);
        await server.StartAsync();

        await using var again = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        Assert.Equal("kept", (string?)await again.GetDatabase().StringGetAsync("p2p:test"));
    }
}

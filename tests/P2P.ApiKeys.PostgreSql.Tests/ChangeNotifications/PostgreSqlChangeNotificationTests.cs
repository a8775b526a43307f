using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.PostgreSql.Tests.ChangeNotifications;

/// <summary>
/// Two nodes on one real PostgreSQL database, each with its own verification cache and a 10-minute CacheTtl, so
/// that only LISTEN/NOTIFY can make the other node refuse a revoked key in time. Every wait is bounded far below
/// the CacheTtl and ends on a deterministic signal (a refusal, a connection metric), never on a fixed sleep.
/// </summary>
public sealed class PostgreSqlChangeNotificationTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>
{
    private static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60); // a hang guard under load, far below the CacheTtl

    [Fact]
    public async Task Revoke_OnOneNode_OtherNodeRefusesPromptlyDespiteALongCacheTtl()
    {
        await using var nodeA = await StartNodeAsync("notify-a1");
        await using var nodeB = await StartNodeAsync("notify-b1");
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeA.StatusAsync(key));
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key)); // cached on B for 10 minutes

        await nodeA.RevokeAsync(record);

        Assert.Equal(HttpStatusCode.Unauthorized, await nodeA.StatusAsync(key)); // evicted locally, synchronously
        await nodeB.WaitUntilRefusedAsync(key, Prompt, "the NOTIFY from node A did not evict it");
    }

    [Fact]
    public async Task ListenConnectionTerminated_BetweenWarmUpAndRevocation_RefusedWithinCacheTtlThenFastAgain()
    {
        await using var nodeA = await StartNodeAsync("notify-a2");
        await using var nodeB = await StartNodeAsync("notify-b2");
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (first, firstRecord) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(first)); // warm-up: cached on B

        // Chaos: the server ends B's LISTEN connection, as a failover, a DBA or an idle-session timeout would.
        Assert.Equal(1, await database.TerminateConnectionsAsync("notify-b2-listener"));
        await nodeB.WaitUntilDisconnectedAsync(1, Prompt);
        await nodeA.RevokeAsync(firstRecord);

        // B may have missed the NOTIFY; it clears its cache when it listens again, well within CacheTtl.
        await nodeB.WaitUntilRefusedAsync(first, TimeSpan.FromSeconds(60), "it was not refused after the listener came back");
        await nodeB.WaitUntilConnectedAsync(2, TimeSpan.FromSeconds(60));

        // After the reconnection, propagation is immediate again.
        var (second, secondRecord) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(second));
        await nodeA.RevokeAsync(secondRecord);
        await nodeB.WaitUntilRefusedAsync(second, Prompt, "the NOTIFY after reconnection did not evict it");
    }

    [Fact]
    public async Task AddPostgreSqlChangeNotifications_NpgsqlDataSourceFromServices_PublishesAndListens()
    {
        var connectionString = database.ConnectionStringFor("notify-ds");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var nodeA = await StartNodeAsync("notify-a3");
        await using var nodeB = await ChangeNotificationNode.StartAsync(CacheTtl, (services, auth) =>
        {
            services.AddSingleton(dataSource);
            services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseNpgsql(connectionString));
            auth.AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddPostgreSqlChangeNotifications(_ => { });
        });
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key));

        await nodeA.RevokeAsync(record);

        await nodeB.WaitUntilRefusedAsync(key, Prompt, "the node on a registered NpgsqlDataSource did not listen");
    }

    [Fact]
    public async Task AddPostgreSqlChangeNotifications_OtherChannel_DoesNotHearTheDefaultChannel()
    {
        await using var nodeA = await StartNodeAsync("notify-a4", channel: "tenant_two_changes");
        await using var nodeB = await StartNodeAsync("notify-b4", channel: "tenant_two_changes");
        await nodeB.WaitUntilConnectedAsync(1, Prompt);
        var (key, record) = await nodeA.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, await nodeB.StatusAsync(key));

        await nodeA.RevokeAsync(record);

        await nodeB.WaitUntilRefusedAsync(key, Prompt, "a custom channel did not carry the change");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("1starts_with_digit")]
    [InlineData("with space")]
    [InlineData("quote\"injection")]
    public async Task Start_InvalidChannel_FailsWithAClearMessage(string channel)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => ChangeNotificationNode.StartAsync(CacheTtl, (_, auth) =>
            auth.AddInMemoryStores().AddPostgreSqlChangeNotifications("Host=127.0.0.1;Database=unused", o => o.Channel = channel)));

        Assert.Contains("PostgreSqlChangeNotificationOptions.Channel", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoConnection_FailsWithAClearMessage()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => ChangeNotificationNode.StartAsync(CacheTtl, (_, auth) =>
            auth.AddInMemoryStores().AddPostgreSqlChangeNotifications(_ => { })));

        Assert.Contains("NpgsqlDataSource", exception.Message, StringComparison.Ordinal);
    }

    private Task<ChangeNotificationNode> StartNodeAsync(string applicationName, string? channel = null)
    {
        var connectionString = database.ConnectionStringFor(applicationName);
        return ChangeNotificationNode.StartAsync(CacheTtl, (services, auth) =>
        {
            services.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseNpgsql(connectionString));
            // The notifier's connections under a name of their own, so that a test can end exactly those.
            auth.AddEntityFrameworkCoreStores<ApiKeysDbContext>().AddPostgreSqlChangeNotifications(database.ConnectionStringFor(applicationName + "-listener"), o =>
            {
                o.ReconnectDelay = TimeSpan.FromMilliseconds(200);
                o.KeepAliveInterval = TimeSpan.FromMilliseconds(300); // several keep-alive round trips per test
                if (channel is not null)
                {
                    o.Channel = channel;
                }
            });
        });
    }
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2P.ApiKeys.HealthChecks;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.Redis.Tests.HealthChecks;

/// <summary>
/// <c>AddApiKeyHealthChecks</c> on a node with the Redis limiter and the Redis notifier, against a real redis-server
/// of the test's own that is stopped and started again.
/// </summary>
public sealed class RedisHealthCheckTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(60); // a hang guard under load
    private static readonly ApiKeyRateLimit PerDay = new(100, TimeSpan.FromDays(1));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealth_RedisStoppedThenStarted_HealthyUnhealthyDegradedUntilADecisionThenHealthy()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var node = await ChangeNotificationNode.StartAsync(TimeSpan.FromMinutes(10), (services, auth) =>
        {
            auth.AddInMemoryStores()
                .AddRedisRateLimits(redis.Configuration, o => o.DecisionTimeout = TimeSpan.FromSeconds(2))
                .AddRedisChangeNotifications(redis.Configuration);
            services.AddHealthChecks().AddApiKeyHealthChecks();
        });
        var limiter = node.Services.GetRequiredService<IApiKeyLimiter>();
        await node.WaitUntilConnectedAsync(1, Prompt);
        await limiter.AcquireAsync(Guid.NewGuid(), PerDay, null, 1, Ct);
        await WaitForAsync(node.Services, ApiKeyHealthCheckNames.RateLimiter, HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(node.Services)).Status);

        // Redis goes away: the notifier is disconnected and the limiter counts alone.
        await redis.StopAsync();
        await node.WaitUntilDisconnectedAsync(1, Prompt);
        var down = await CheckAsync(node.Services);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries[ApiKeyHealthCheckNames.ChangeNotifier].Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries[ApiKeyHealthCheckNames.RateLimiter].Status);
        Assert.Equal(HealthStatus.Healthy, down.Entries[ApiKeyHealthCheckNames.Store].Status);
        await limiter.AcquireAsync(Guid.NewGuid(), PerDay, null, 1, Ct); // decided locally: a fallback

        // Redis is back: the notifier listens again; the limiter reaches Redis but its last decision fell back.
        await redis.StartAsync();
        await node.WaitUntilConnectedAsync(2, Prompt);
        await WaitForAsync(node.Services, ApiKeyHealthCheckNames.RateLimiter, HealthStatus.Degraded);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(node.Services)).Entries[ApiKeyHealthCheckNames.ChangeNotifier].Status);

        // The next decision is made in Redis: healthy.
        await limiter.AcquireAsync(Guid.NewGuid(), PerDay, null, 1, Ct);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(node.Services)).Status);
    }

    private static Task<HealthReport> CheckAsync(IServiceProvider services) =>
        services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

    private static async Task WaitForAsync(IServiceProvider services, string check, HealthStatus expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = (await CheckAsync(services)).Entries[check].Status;
            if (status == expected)
            {
                return;
            }

            Assert.True(deadline.Elapsed < Prompt, $"{check} stayed {status}, not {expected}.");
            await Task.Delay(50, Ct);
        }
    }
}

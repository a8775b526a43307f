using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Events;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Events;

/// <summary>
/// Delivered and failed outbox rows go after <see cref="ApiKeyEventOptions.Retention"/> (default 7 days), in batches;
/// pending rows stay however old they are. In-memory stores on a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class OutboxRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prune_DeletesFinishedRowsOnlyAfterTheRetention_InBatches_NeverPendingOnes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var services = Build(time, _ => { });
        var manager = services.GetRequiredService<IApiKeyManager>();
        var outbox = services.GetRequiredService<IApiKeyEventOutbox>();
        var dispatcher = services.GetRequiredService<ApiKeyEventDispatcher>();
        for (var i = 0; i < 1_205; i++) // more than two batches of 500
        {
            Assert.True((await manager.CreateAsync(new() { Name = $"k{i}" }, Ct)).Succeeded);
        }

        while (await dispatcher.DispatchOnceAsync(Ct) > 0)
        {
        }

        Assert.Equal(0, await outbox.CountPendingAsync(Ct));
        time.Advance(TimeSpan.FromDays(1));
        Assert.True((await manager.CreateAsync(new() { Name = "pending" }, Ct)).Succeeded); // never dispatched

        time.Advance(TimeSpan.FromDays(6) - TimeSpan.FromMinutes(1)); // 1 minute short of the 7 days
        Assert.Equal(0, await dispatcher.PruneAsync(Ct));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1_205, await dispatcher.PruneAsync(Ct));
        Assert.Equal(0, await dispatcher.PruneAsync(Ct));

        time.Advance(TimeSpan.FromDays(365));
        Assert.Equal(0, await dispatcher.PruneAsync(Ct)); // the pending row stays, however old
        Assert.Equal(1, await outbox.CountPendingAsync(Ct));
    }

    [Fact]
    public async Task Prune_InfiniteRetention_KeepsEverything()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var services = Build(time, o => o.Retention = Timeout.InfiniteTimeSpan);
        var manager = services.GetRequiredService<IApiKeyManager>();
        var dispatcher = services.GetRequiredService<ApiKeyEventDispatcher>();
        Assert.True((await manager.CreateAsync(new() { Name = "k" }, Ct)).Succeeded);
        Assert.Equal(1, await dispatcher.DispatchOnceAsync(Ct));

        time.Advance(TimeSpan.FromDays(3650));
        Assert.Equal(0, await dispatcher.PruneAsync(Ct));
    }

    private static ServiceProvider Build(FakeTimeProvider time, Action<ApiKeyEventOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddApiKeyAuth().AddInMemoryStores().AddApiKeyEvents(configure);
        return services.BuildServiceProvider();
    }
}

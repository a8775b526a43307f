using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.Tests.Usage;

public sealed class ApiKeyUsageHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static Task<IReadOnlyList<ApiKeyUsageRecord>> BucketsAsync(ApiKeyTestHost host, Guid keyId, ApiKeyUsageGranularity granularity = ApiKeyUsageGranularity.Hour) =>
        host.Services.GetRequiredService<IApiKeyUsageStore>().ListAsync(
            new ApiKeyUsageFilter { KeyId = keyId, Granularity = granularity, From = ApiKeyTestHost.Start.AddDays(-2), To = ApiKeyTestHost.Start.AddDays(2) }, Ct).AsTask();

    private static Task<HttpContext> FromAsync(ApiKeyTestHost host, string path, string key, string address) =>
        host.SendRawAsync(path, request =>
        {
            request.Headers["X-API-Key"] = key;
            request.HttpContext.Connection.RemoteIpAddress = IPAddress.Parse(address);
        });

    [Fact]
    public async Task Requests_EachOutcome_CountedExactlyInTheHourAndTheDay()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync(rateLimit: new ApiKeyRateLimit(2, TimeSpan.FromHours(1)));
        var (quotaKey, quotaRecord) = await host.CreateKeyAsync(quota: new ApiKeyQuota(1, ApiKeyQuotaPeriod.Day));

        Assert.Equal(StatusCodes.Status200OK, (await FromAsync(host, "/read", key, "10.0.0.1")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await FromAsync(host, "/read", key, "10.0.0.2")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status429TooManyRequests, (await FromAsync(host, "/read", key, "10.0.0.2")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status403Forbidden, (await FromAsync(host, "/write", key, "2001:db8::1")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await FromAsync(host, "/read", quotaKey, "10.0.0.9")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status429TooManyRequests, (await FromAsync(host, "/read", quotaKey, "10.0.0.9")).Response.StatusCode);
        await host.RevokeAsync(record);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await FromAsync(host, "/read", key, "10.0.0.3")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await FromAsync(host, "/read", key, "10.0.0.3")).Response.StatusCode);

        // An unknown key or a wrong secret is nobody's usage.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/read", key[..^2] + "xx")).StatusCode);

        await host.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);

        var hour = Assert.Single(await BucketsAsync(host, record.Id));
        Assert.Equal(HourOf(ApiKeyTestHost.Start), hour.Start);
        Assert.Equal((2L, 1L, 0L, 1L, 2L), (hour.Allowed, hour.RateLimited, hour.QuotaExhausted, hour.Forbidden, hour.Refused));
        Assert.Equal(4, hour.Clients);
        Assert.Equal("alice", hour.Owner);
        Assert.Equal(record.LineageId, hour.LineageId);
        var day = Assert.Single(await BucketsAsync(host, record.Id, ApiKeyUsageGranularity.Day));
        Assert.Equal((2L, 1L, 0L, 1L, 2L, 4L), (day.Allowed, day.RateLimited, day.QuotaExhausted, day.Forbidden, day.Refused, day.Clients));

        var quotaHour = Assert.Single(await BucketsAsync(host, quotaRecord.Id));
        Assert.Equal((1L, 0L, 1L, 1L), (quotaHour.Allowed, quotaHour.RateLimited, quotaHour.QuotaExhausted, quotaHour.Clients));
    }

    [Fact]
    public async Task Requests_AcrossAnHour_GoToTwoHoursOfOneDay_AndFlushesAdd()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync();
        var history = host.Services.GetRequiredService<ApiKeyUsageHistory>();

        await host.GetAsync("/read", key);
        await history.FlushAsync(Ct);
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromHours(1));
        await host.GetAsync("/read", key);
        await history.FlushAsync(Ct);

        // A flush after the hour ended: the cell is retired, nothing is counted twice.
        host.Time.Advance(TimeSpan.FromHours(2));
        await history.FlushAsync(Ct);
        await history.FlushAsync(Ct);

        Assert.Equal([2L, 1L], (await BucketsAsync(host, record.Id)).Select(b => b.Allowed));
        Assert.Equal(3, Assert.Single(await BucketsAsync(host, record.Id, ApiKeyUsageGranularity.Day)).Allowed);
        Assert.Equal(0, history.PendingCount);
    }

    [Fact]
    public async Task GracefulStop_FlushesWhatWasCounted()
    {
        var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync();
        for (var i = 0; i < 7; i++)
        {
            await host.GetAsync("/read", key);
        }

        var store = host.Services.GetRequiredService<IApiKeyUsageStore>();
        await host.App.StopAsync(Ct);

        var buckets = await store.ListAsync(
            new ApiKeyUsageFilter { KeyId = record.Id, Granularity = ApiKeyUsageGranularity.Hour, From = ApiKeyTestHost.Start.AddDays(-1), To = ApiKeyTestHost.Start.AddDays(1) }, Ct);
        Assert.Equal(7, Assert.Single(buckets).Allowed);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Disabled_CountsNothing()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: s => s.Configure<ApiKeyUsageHistoryOptions>(o => o.Enabled = false));
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);
        await host.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);
        Assert.Empty(await BucketsAsync(host, record.Id));
    }

    [Fact]
    public async Task OnOutcome_CachedKeyInACountedHour_AllocatesNothing()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (_, record) = await host.CreateKeyAsync();
        var key = VerifiedApiKey.Create(record, DateTimeOffset.MaxValue, "test");
        IApiKeyOutcomeObserver history = host.Services.GetRequiredService<ApiKeyUsageHistory>();
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8::7");
        var now = host.Time.GetUtcNow();
        var allowed = new ApiKeyOutcomeEvent(ApiKeyOutcomes.Of(ApiKeyOutcome.Allowed), now, key, key.LookupId, context);
        var refused = new ApiKeyOutcomeEvent(ApiKeyOutcomes.Of(ApiKeyOutcome.Revoked), now, key, key.LookupId, context);
        history.OnOutcome(allowed);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            history.OnOutcome(allowed);
            history.OnOutcome(refused);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void ClientSketch_EstimatesWithinItsDocumentedError()
    {
        foreach (var n in new[] { 1, 10, 100, 1_000, 10_000, 100_000 })
        {
            var sketch = ApiKeyClientSketch.Create();
            for (var i = 0; i < n; i++)
            {
                ApiKeyClientSketch.Add(sketch, ApiKeyClientSketch.Hash(BitConverter.GetBytes(i)));
            }

            var estimate = ApiKeyClientSketch.Estimate(sketch);
            Assert.InRange(estimate, n * 0.8, n * 1.2);
            if (n <= 10)
            {
                Assert.Equal(n, estimate);
            }
        }
    }

    [Fact]
    public async Task Retention_HoursAfter30Days_DaysAfter400_PrunedInBatches()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: s => s.Configure<ApiKeyUsageHistoryOptions>(o =>
        {
            o.PruneBatchSize = 2;
            o.FlushInterval = TimeSpan.FromDays(40); // the test prunes itself
        }));
        var (key, record) = await host.CreateKeyAsync();
        var history = host.Services.GetRequiredService<ApiKeyUsageHistory>();
        var store = host.Services.GetRequiredService<IApiKeyUsageStore>();
        for (var hour = 0; hour < 5; hour++)
        {
            await host.GetAsync("/read", key);
            host.Time.Advance(TimeSpan.FromHours(1));
        }

        await history.FlushAsync(Ct);
        Task<IReadOnlyList<ApiKeyUsageRecord>> ListAsync(ApiKeyUsageGranularity granularity) => store.ListAsync(
            new ApiKeyUsageFilter { KeyId = record.Id, Granularity = granularity, From = ApiKeyTestHost.Start.AddDays(-1), To = ApiKeyTestHost.Start.AddDays(1) }, Ct).AsTask();
        Assert.Equal(5, (await ListAsync(ApiKeyUsageGranularity.Hour)).Count);

        // 30 days less a moment: everything kept.
        host.Time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromHours(5));
        Assert.Equal((0, 0), await history.PruneAsync(force: true, Ct));

        // Past 30 days: the hours go, three batches of two, and the day keeps their sum.
        host.Time.Advance(TimeSpan.FromHours(5));
        Assert.Equal((5, 0), await history.PruneAsync(force: true, Ct));
        Assert.Empty(await ListAsync(ApiKeyUsageGranularity.Hour));
        Assert.Equal(5, Assert.Single(await ListAsync(ApiKeyUsageGranularity.Day)).Allowed);

        // Past 400 days the day goes too (by the flush service's own run, or this one).
        host.Time.Advance(TimeSpan.FromDays(371));
        await history.PruneAsync(force: true, Ct);
        Assert.Empty(await ListAsync(ApiKeyUsageGranularity.Day));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1414);
    }

    [Fact]
    public async Task FlushService_PrunesAtMostOnceAnHour()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: s => s.Configure<ApiKeyUsageHistoryOptions>(o => o.FlushInterval = TimeSpan.FromMinutes(1)));
        var (key, _) = await host.CreateKeyAsync();
        var history = host.Services.GetRequiredService<ApiKeyUsageHistory>();
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await WaitForAsync(() => history.CompletedFlushes >= 1);

        host.Time.Advance(TimeSpan.FromDays(31));
        await WaitForAsync(() => host.Logs.GetSnapshot().Any(r => r.Id.Id == 1414));
        Assert.Equal((0, 0), await history.PruneAsync(force: false, Ct));
    }

    [Theory]
    [InlineData("FlushInterval")]
    [InlineData("HourRetention")]
    [InlineData("PruneBatchSize")]
    public void Options_Invalid_AreRefused(string field)
    {
        var options = new ApiKeyUsageHistoryOptions();
        _ = field switch
        {
            "FlushInterval" => options.FlushInterval = TimeSpan.Zero,
            "HourRetention" => options.HourRetention = TimeSpan.FromMinutes(5),
            _ => (object)(options.PruneBatchSize = 0),
        };

        var result = new ApiKeyUsageHistoryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(field, result.FailureMessage, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // The flush runs on the background service after the fake clock ticks: poll for the state it leaves; the limit
        // only keeps a broken build from hanging the run.
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        hang.CancelAfter(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            await Task.Delay(10, hang.Token);
        }
    }
}

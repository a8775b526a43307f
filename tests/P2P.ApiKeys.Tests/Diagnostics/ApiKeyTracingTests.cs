using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.Diagnostics;

/// <summary>
/// The <c>P2P.ApiKeys</c> spans seen by a listener, as OpenTelemetry's SDK listens. Listeners are process-wide and
/// tests run in parallel, so each test keeps only the spans of its own key (by lookup id or key id).
/// </summary>
public sealed class ApiKeyTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public ApiKeyTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiKeyDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task StoreLookup_StoreThrows_SpanFailedWithTheExceptionTypeOnly()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync();
        host.Store.Failure = new InvalidOperationException("Host=db;Password=hunter2");

        using var response = await host.GetAsync("/read", key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // The key is minted through the manager, whose create span carries the lookup id too.
        var span = Assert.Single(SpansOf("p2p.api_key.lookup_id", record.LookupId), s => s.OperationName == "p2p.api_key.store.lookup");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Null(span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        Assert.Equal("store_unavailable", span.GetTagItem("p2p.api_key.outcome"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("hunter2", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task StoreLookup_MissThenHit_OneSpanWithTheKeyIdNoneForTheHit()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync();

        (await host.GetAsync("/read", key)).Dispose();
        (await host.GetAsync("/read", key)).Dispose(); // cached

        var span = Assert.Single(SpansOf("p2p.api_key.lookup_id", record.LookupId), s => s.OperationName == "p2p.api_key.store.lookup");
        Assert.Equal("success", span.GetTagItem("p2p.api_key.outcome"));
        Assert.Equal(record.Id.ToString(), span.GetTagItem("p2p.api_key.id"));
    }

    [Fact]
    public async Task ManagerChanges_RevokeTwiceThenRotateRevoked_OutcomesWithoutErrorStatus()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = host.Services.GetRequiredService<IApiKeyManager>();
        var created = (await manager.CreateAsync(new() { Name = "traced" }, TestContext.Current.CancellationToken)).Value!;
        var id = created.Record.Id.ToString();

        await manager.RevokeAsync(created.Record.Id, TestContext.Current.CancellationToken);
        await manager.RevokeAsync(created.Record.Id, TestContext.Current.CancellationToken);
        await manager.RotateAsync(created.Record.Id, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var spans = SpansOf("p2p.api_key.id", id);
        Assert.Equal(["p2p.api_key.create", "p2p.api_key.revoke", "p2p.api_key.revoke", "p2p.api_key.rotate"], spans.Select(s => s.OperationName));
        Assert.Equal(["success", "success", "conflict", "conflict"], spans.Select(s => s.GetTagItem("p2p.api_key.outcome")));
        Assert.All(spans, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
        Assert.All(spans, s => Assert.DoesNotContain(s.TagObjects, t => t.Value?.ToString()?.Contains(created.Key, StringComparison.Ordinal) == true));
    }

    public void Dispose() => _listener.Dispose();

    private List<Activity> SpansOf(string tag, string value) =>
        [.. _spans.Where(s => Equals(s.GetTagItem(tag), value))]; // in the order they ended
}

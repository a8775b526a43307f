using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys;
using P2P.ApiKeys.Management;

namespace P2P.AdminApi.Tests.Hosting;

/// <summary>
/// The sample's OpenTelemetry wiring (on because <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; nothing listens there) with
/// an in-memory exporter added: the spans of one key creation, one cache miss and one cache hit.
/// </summary>
public sealed class TracingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DataRequest_OneCacheMissThenAHit_ServerSpanWithOneStoreLookupChildAndNeverTheKey()
    {
        var spans = new SpanList();
        await using var factory = new AdminApiFactory(kestrel: false, settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9", // the discard port: the OTLP export goes nowhere
        });
        await using var traced = factory.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))));
        var manager = traced.Services.GetRequiredService<IApiKeyManager>();

        var created = (await manager.CreateAsync(new() { Name = "traced", Scopes = ["p2p:read"] }, Ct)).Value!;
        var key = created.Key;

        // Other tests' hosts run in this process, and listeners are process-wide: keep only this test's spans, by key
        // id for the creation and by the trace id each request carries in its traceparent header.
        var createSpan = Assert.Single(spans.Snapshot(), s => s.OperationName == "p2p.api_key.create" && Equals(s.GetTagItem("p2p.api_key.id"), created.Record.Id.ToString()));
        Assert.Equal(created.Record.LookupId, createSpan.GetTagItem("p2p.api_key.lookup_id"));
        Assert.Equal("success", createSpan.GetTagItem("p2p.api_key.outcome"));

        using var client = traced.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);

        // One cache miss: the server span, and under it exactly one store lookup of this key.
        var miss = await GetInTraceAsync(client, spans);
        var server = Assert.Single(miss, s => s.Kind == ActivityKind.Server);
        Assert.Equal("GET /api/p2p/summary", server.DisplayName);
        var lookup = Assert.Single(miss, s => s.Source.Name == "P2P.ApiKeys");
        Assert.Equal("p2p.api_key.store.lookup", lookup.OperationName);
        Assert.Equal(server.SpanId, lookup.ParentSpanId);
        Assert.Equal(ActivityKind.Internal, lookup.Kind);
        Assert.Equal(created.Record.LookupId, lookup.GetTagItem("p2p.api_key.lookup_id"));
        Assert.Equal(created.Record.Id.ToString(), lookup.GetTagItem("p2p.api_key.id"));
        Assert.Equal("success", lookup.GetTagItem("p2p.api_key.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, lookup.Status);

        // The hit that follows is served from the cache: a server span, no store lookup.
        var hit = await GetInTraceAsync(client, spans);
        Assert.Single(hit, s => s.Kind == ActivityKind.Server);
        Assert.DoesNotContain(hit, s => s.Source.Name == "P2P.ApiKeys");

        // Nothing that leaves the process holds the key or its secret part.
        var secret = key[(key.LastIndexOf('_') + 1)..];
        foreach (var span in miss.Concat(hit).Append(createSpan))
        {
            foreach (var (name, value) in span.TagObjects)
            {
                Assert.DoesNotContain(secret, $"{name}={value}", StringComparison.Ordinal);
            }

            Assert.DoesNotContain(secret, span.DisplayName, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// GET /api/p2p/summary in a trace of its own (a traceparent header with a new trace id) and the spans of that
    /// trace, once its server span has ended (when the host disposes the request, maybe just after the response).
    /// </summary>
    private static async Task<List<Activity>> GetInTraceAsync(HttpClient client, SpanList spans)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/p2p/summary", UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (var response = await client.SendAsync(request, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var trace = spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
            if (trace.Any(s => s.Kind == ActivityKind.Server) || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return trace;
            }

            await Task.Delay(10, Ct);
        }
    }

    /// <summary>What the exporter writes to from the thread that ends a span, read here while requests run.</summary>
    private sealed class SpanList : Collection<Activity>
    {
        private readonly Lock _gate = new();

        public List<Activity> Snapshot()
        {
            lock (_gate)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (_gate)
            {
                base.ClearItems();
            }
        }
    }
}

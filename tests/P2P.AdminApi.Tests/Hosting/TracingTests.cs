using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys;

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
        var createSpan = Assert.Single(spans.Snapshot(), s => s.Source.Name == "P2P.ApiKeys");
        Assert.Equal("p2p.api_key.create", createSpan.OperationName);
        Assert.Equal(created.Record.Id.ToString(), createSpan.GetTagItem("p2p.api_key.id"));
        Assert.Equal(created.Record.LookupId, createSpan.GetTagItem("p2p.api_key.lookup_id"));
        Assert.Equal("success", createSpan.GetTagItem("p2p.api_key.outcome"));
        spans.Clear();

        using var client = traced.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        using (var miss = await client.GetAsync(new Uri("/api/p2p/summary", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        }

        // One cache miss: the server span, and under it exactly one store lookup of this key. (The server span ends
        // when the host disposes the request, which may be just after the client has the response.)
        var afterMiss = await WaitForServerSpansAsync(spans, 1);
        var server = Assert.Single(afterMiss, s => s.Kind == ActivityKind.Server);
        Assert.Equal("GET /api/p2p/summary", server.DisplayName);
        var lookup = Assert.Single(afterMiss, s => s.Source.Name == "P2P.ApiKeys");
        Assert.Equal("p2p.api_key.store.lookup", lookup.OperationName);
        Assert.Equal(server.SpanId, lookup.ParentSpanId);
        Assert.Equal(server.TraceId, lookup.TraceId);
        Assert.Equal(ActivityKind.Internal, lookup.Kind);
        Assert.Equal(created.Record.LookupId, lookup.GetTagItem("p2p.api_key.lookup_id"));
        Assert.Equal(created.Record.Id.ToString(), lookup.GetTagItem("p2p.api_key.id"));
        Assert.Equal("success", lookup.GetTagItem("p2p.api_key.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, lookup.Status);

        // The hit that follows is served from the cache: a server span, no store lookup.
        using (var hit = await client.GetAsync(new Uri("/api/p2p/summary", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        }

        var afterHit = await WaitForServerSpansAsync(spans, 2);
        Assert.Equal(2, afterHit.Count(s => s.Kind == ActivityKind.Server));
        Assert.Single(afterHit, s => s.Source.Name == "P2P.ApiKeys");

        // Nothing that leaves the process holds the key or its secret part.
        var secret = key[(key.LastIndexOf('_') + 1)..];
        foreach (var span in afterHit.Append(createSpan))
        {
            foreach (var (name, value) in span.TagObjects)
            {
                Assert.DoesNotContain(secret, $"{name}={value}", StringComparison.Ordinal);
            }

            Assert.DoesNotContain(secret, span.DisplayName, StringComparison.Ordinal);
        }
    }

    private static async Task<List<Activity>> WaitForServerSpansAsync(SpanList spans, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var snapshot = spans.Snapshot();
            if (snapshot.Count(s => s.Kind == ActivityKind.Server) >= count || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return snapshot;
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

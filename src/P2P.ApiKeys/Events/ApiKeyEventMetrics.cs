using System.Diagnostics.Metrics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.Events;

/// <summary>
/// On the <c>P2P.ApiKeys</c> meter: <c>p2p.apikeys.events.delivered</c>, <c>p2p.apikeys.events.retried</c> and
/// <c>p2p.apikeys.events.failed</c> (attribute <c>p2p.event.type</c>), and <c>p2p.apikeys.events.delivery_latency</c>
/// (seconds from the change to the successful delivery).
/// </summary>
internal sealed class ApiKeyEventMetrics
{
    public const string DeliveredName = "p2p.apikeys.events.delivered";
    public const string RetriedName = "p2p.apikeys.events.retried";
    public const string FailedName = "p2p.apikeys.events.failed";
    public const string LatencyName = "p2p.apikeys.events.delivery_latency";
    public const string TypeTag = "p2p.event.type";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _latency;

    public ApiKeyEventMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ApiKeyDiagnostics.MeterName);
        _delivered = meter.CreateCounter<long>(DeliveredName, unit: "{event}", description: "Key events delivered to every endpoint and handler.");
        _retried = meter.CreateCounter<long>(RetriedName, unit: "{event}", description: "Key event deliveries that failed and are scheduled again.");
        _failed = meter.CreateCounter<long>(FailedName, unit: "{event}", description: "Key events given up on after the retry period.");
        _latency = meter.CreateHistogram<double>(LatencyName, unit: "s", description: "Time from a key change to its event's delivery.");
    }

    public void Delivered(string type, TimeSpan latency)
    {
        _delivered.Add(1, new KeyValuePair<string, object?>(TypeTag, type));
        _latency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>(TypeTag, type));
    }

    public void Retried(string type) => _retried.Add(1, new KeyValuePair<string, object?>(TypeTag, type));

    public void Failed(string type) => _failed.Add(1, new KeyValuePair<string, object?>(TypeTag, type));
}

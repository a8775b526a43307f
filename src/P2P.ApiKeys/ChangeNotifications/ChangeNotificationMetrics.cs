using System.Diagnostics.Metrics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>The change notifiers' instruments on the <c>P2P.ApiKeys</c> meter, tagged with the notifier's name.</summary>
internal sealed class ChangeNotificationMetrics
{
    public const string ChangesPublishedName = "p2p.apikeys.changes.published";
    public const string ChangesReceivedName = "p2p.apikeys.changes.received";
    public const string NotifierConnectionsName = "p2p.apikeys.change_notifier.connections";
    public const string NotifierDisconnectionsName = "p2p.apikeys.change_notifier.disconnections";
    public const string NotifierTag = "p2p.api_key.notifier";

    private readonly Counter<long> _changesPublished;
    private readonly Counter<long> _changesReceived;
    private readonly Counter<long> _notifierConnections;
    private readonly Counter<long> _notifierDisconnections;

    public ChangeNotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ApiKeyDiagnostics.MeterName);
        _changesPublished = meter.CreateCounter<long>(ChangesPublishedName, unit: "{change}", description: "Key changes handed to a change notifier, by notifier and outcome (success, failure).");
        _changesReceived = meter.CreateCounter<long>(ChangesReceivedName, unit: "{change}", description: "Key changes from other nodes that evicted a cached verification, by notifier.");
        _notifierConnections = meter.CreateCounter<long>(NotifierConnectionsName, unit: "{connection}", description: "Times a change notifier started listening (each clears the cache), by notifier.");
        _notifierDisconnections = meter.CreateCounter<long>(NotifierDisconnectionsName, unit: "{disconnection}", description: "Times a change notifier lost its connection, by notifier.");
    }

    public void RecordChangePublished(string notifier, bool succeeded) =>
        _changesPublished.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier), new KeyValuePair<string, object?>(ApiKeyActivitySource.OutcomeAttribute, succeeded ? "success" : "failure"));

    public void RecordChangeReceived(string notifier) => _changesReceived.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));

    public void RecordNotifierConnected(string notifier) => _notifierConnections.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));

    public void RecordNotifierDisconnected(string notifier) => _notifierDisconnections.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));
}

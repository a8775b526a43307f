using System.Diagnostics.Metrics;

namespace P2P.ApiKeys.Diagnostics;

/// <summary>
/// The <c>P2P.ApiKeys</c> meter: a counter of verifications and a histogram of their duration, both tagged
/// with <c>outcome</c>. Created through <see cref="IMeterFactory"/> so that each host (and each test host)
/// gets its own meter.
/// </summary>
internal sealed class ApiKeyMetrics
{
    public const string MeterName = ApiKeyDiagnostics.MeterName;
    public const string VerificationsName = "p2p.apikeys.verifications";
    public const string DurationName = "p2p.apikeys.verification.duration";
    public const string OutcomeTag = "outcome";
    public const string ChangesPublishedName = "p2p.apikeys.changes.published";
    public const string ChangesReceivedName = "p2p.apikeys.changes.received";
    public const string NotifierConnectionsName = "p2p.apikeys.change_notifier.connections";
    public const string NotifierDisconnectionsName = "p2p.apikeys.change_notifier.disconnections";
    public const string NotifierTag = "notifier";

    // Tag pairs built once: recording is then allocation free.
    private static readonly KeyValuePair<string, object?>[] OutcomeTags =
    [
        new(OutcomeTag, "success"),
        new(OutcomeTag, "missing"),
        new(OutcomeTag, "malformed"),
        new(OutcomeTag, "unknown"),
        new(OutcomeTag, "revoked"),
        new(OutcomeTag, "expired"),
        new(OutcomeTag, "invalid_secret"),
        new(OutcomeTag, "store_unavailable"),
        new(OutcomeTag, "disabled"),
        new(OutcomeTag, "client_throttled"),
    ];

    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _changesPublished;
    private readonly Counter<long> _changesReceived;
    private readonly Counter<long> _notifierConnections;
    private readonly Counter<long> _notifierDisconnections;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>(VerificationsName, unit: "{verification}", description: "API-key verifications by outcome.");
        _duration = meter.CreateHistogram<double>(DurationName, unit: "s", description: "Time to verify an API key, store lookups included.");
        _changesPublished = meter.CreateCounter<long>(ChangesPublishedName, unit: "{change}", description: "Key changes handed to a change notifier, by notifier and outcome (success, failure).");
        _changesReceived = meter.CreateCounter<long>(ChangesReceivedName, unit: "{change}", description: "Key changes from other nodes that evicted a cached verification, by notifier.");
        _notifierConnections = meter.CreateCounter<long>(NotifierConnectionsName, unit: "{connection}", description: "Times a change notifier started listening (each clears the cache), by notifier.");
        _notifierDisconnections = meter.CreateCounter<long>(NotifierDisconnectionsName, unit: "{disconnection}", description: "Times a change notifier lost its connection, by notifier.");
    }

    public static string OutcomeName(ApiKeyVerificationOutcome outcome) => (string)OutcomeTags[(int)outcome].Value!;

    /// <summary>
    /// Whether anyone listens to the duration histogram; when nobody does, the handler reads no clock for it.
    /// </summary>
    public bool TimesVerifications => _duration.Enabled;

    /// <summary>
    /// Counts one verification and records its duration when it was timed. Neither instrument writes shared
    /// state of its own: with no listener a measurement is a read of the instrument's (empty) listener list;
    /// with one, the cost and any contention are the listener's (OpenTelemetry aggregates per tag set).
    /// </summary>
    public void Record(ApiKeyVerificationOutcome outcome, TimeSpan? elapsed)
    {
        var tag = OutcomeTags[(int)outcome];
        _verifications.Add(1, tag);
        if (elapsed is { } duration)
        {
            _duration.Record(duration.TotalSeconds, tag);
        }
    }

    public void RecordChangePublished(string notifier, bool succeeded) =>
        _changesPublished.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier), new KeyValuePair<string, object?>(OutcomeTag, succeeded ? "success" : "failure"));

    public void RecordChangeReceived(string notifier) => _changesReceived.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));

    public void RecordNotifierConnected(string notifier) => _notifierConnections.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));

    public void RecordNotifierDisconnected(string notifier) => _notifierDisconnections.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));
}

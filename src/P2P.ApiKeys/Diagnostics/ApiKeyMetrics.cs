using System.Diagnostics.Metrics;

namespace P2P.ApiKeys.Diagnostics;

/// <summary>
/// The <c>P2P.ApiKeys</c> meter: verifications by outcome, the duration of store lookups on a cache miss, and the
/// change notifications. Created through <see cref="IMeterFactory"/> so that each host (and each test host) gets its
/// own meter. What ASP.NET Core 10 measures itself is not measured again: the duration of the whole authentication is
/// <c>aspnetcore.authentication.authenticate.duration</c> (per scheme), challenges and forbids are
/// <c>aspnetcore.authentication.challenges</c>/<c>.forbids</c>, policy results <c>aspnetcore.authorization.attempts</c>.
/// </summary>
internal sealed class ApiKeyMetrics
{
    public const string MeterName = ApiKeyDiagnostics.MeterName;
    public const string VerificationsName = "p2p.apikeys.verifications";
    public const string StoreLookupDurationName = "p2p.apikeys.store.lookup.duration";
    public const string OutcomeTag = "p2p.api_key.outcome";
    public const string ChangesPublishedName = "p2p.apikeys.changes.published";
    public const string ChangesReceivedName = "p2p.apikeys.changes.received";
    public const string NotifierConnectionsName = "p2p.apikeys.change_notifier.connections";
    public const string NotifierDisconnectionsName = "p2p.apikeys.change_notifier.disconnections";
    public const string NotifierTag = "p2p.api_key.notifier";

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
    private readonly Histogram<double> _storeLookupDuration;
    private readonly Counter<long> _changesPublished;
    private readonly Counter<long> _changesReceived;
    private readonly Counter<long> _notifierConnections;
    private readonly Counter<long> _notifierDisconnections;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>(VerificationsName, unit: "{verification}", description: "API-key verifications by outcome.");
        _storeLookupDuration = meter.CreateHistogram<double>(
            StoreLookupDurationName, unit: "s", description: "Time to look a key up in the store on a cache miss, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _changesPublished = meter.CreateCounter<long>(ChangesPublishedName, unit: "{change}", description: "Key changes handed to a change notifier, by notifier and outcome (success, failure).");
        _changesReceived = meter.CreateCounter<long>(ChangesReceivedName, unit: "{change}", description: "Key changes from other nodes that evicted a cached verification, by notifier.");
        _notifierConnections = meter.CreateCounter<long>(NotifierConnectionsName, unit: "{connection}", description: "Times a change notifier started listening (each clears the cache), by notifier.");
        _notifierDisconnections = meter.CreateCounter<long>(NotifierDisconnectionsName, unit: "{disconnection}", description: "Times a change notifier lost its connection, by notifier.");
    }

    public static string OutcomeName(ApiKeyVerificationOutcome outcome) => (string)OutcomeTags[(int)outcome].Value!;

    /// <summary>Whether anyone listens to the store-lookup histogram; when nobody does, the verifier reads no clock for it.</summary>
    public bool TimesStoreLookups => _storeLookupDuration.Enabled;

    /// <summary>
    /// Counts one verification. No shared state of its own: with no listener a measurement is a read of the
    /// instrument's (empty) listener list; with one, the cost and any contention are the listener's (OpenTelemetry
    /// aggregates per tag set).
    /// </summary>
    public void Record(ApiKeyVerificationOutcome outcome) => _verifications.Add(1, OutcomeTags[(int)outcome]);

    /// <summary>Records how long one store lookup (a cache miss) took, tagged with the verification's outcome.</summary>
    public void RecordStoreLookup(ApiKeyVerificationOutcome outcome, TimeSpan elapsed) =>
        _storeLookupDuration.Record(elapsed.TotalSeconds, OutcomeTags[(int)outcome]);

    public void RecordChangePublished(string notifier, bool succeeded) =>
        _changesPublished.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier), new KeyValuePair<string, object?>(OutcomeTag, succeeded ? "success" : "failure"));

    public void RecordChangeReceived(string notifier) => _changesReceived.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));

    public void RecordNotifierConnected(string notifier) => _notifierConnections.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));

    public void RecordNotifierDisconnected(string notifier) => _notifierDisconnections.Add(1, new KeyValuePair<string, object?>(NotifierTag, notifier));
}

using System.Diagnostics.Metrics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// The request metrics of the <c>P2P.ApiKeys</c> meter, an observer of the seam: verifications by outcome, per-key
/// limit decisions by outcome, and (recorded by the verifier) the duration of store lookups on a cache miss. Each
/// instrument's outcome tag is the outcome's row of <see cref="ApiKeyOutcomes"/>. Created through
/// <see cref="IMeterFactory"/> so that each host (and each test host) gets its own meter. What ASP.NET Core 10 measures
/// itself is not measured again: the duration of the whole authentication is
/// <c>aspnetcore.authentication.authenticate.duration</c> (per scheme), challenges and forbids are
/// <c>aspnetcore.authentication.challenges</c>/<c>.forbids</c>, policy results <c>aspnetcore.authorization.attempts</c>.
/// </summary>
internal sealed class ApiKeyMetrics : IApiKeyOutcomeObserver
{
    public const string MeterName = ApiKeyDiagnostics.MeterName;
    public const string VerificationsName = "p2p.apikeys.verifications";
    public const string StoreLookupDurationName = "p2p.apikeys.store.lookup.duration";
    public const string DecisionsName = "p2p.apikeys.rate_limit.decisions";

    /// <summary>The tag every instrument of the meter names its outcome with.</summary>
    public const string OutcomeTag = ApiKeyOutcomes.OutcomeTagName;

    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _storeLookupDuration;
    private readonly Counter<long> _decisions;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>(VerificationsName, unit: "{verification}", description: "API-key verifications by outcome.");
        _storeLookupDuration = meter.CreateHistogram<double>(
            StoreLookupDurationName, unit: "s", description: "Time to look a key up in the store on a cache miss, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _decisions = meter.CreateCounter<long>(DecisionsName, unit: "{decision}", description: "Per-key rate-limit decisions by outcome.");
    }

    /// <summary>The whole verification is timed by ASP.NET Core itself; nothing here reads the clock per request.</summary>
    public bool TimesVerifications => false;

    /// <summary>Whether anyone listens to the store-lookup histogram; when nobody does, the verifier reads no clock for it.</summary>
    public bool TimesStoreLookups => _storeLookupDuration.Enabled;

    /// <summary>Records how long one store lookup (a cache miss) took, tagged with the verification's outcome.</summary>
    public void RecordStoreLookup(ApiKeyOutcomeInfo outcome, TimeSpan elapsed) =>
        _storeLookupDuration.Record(elapsed.TotalSeconds, outcome.MetricTag);

    /// <summary>
    /// Neither instrument writes shared state of its own: with no listener a measurement is a read of the instrument's
    /// (empty) listener list; with one, the cost and any contention are the listener's.
    /// </summary>
    public void OnOutcome(in ApiKeyOutcomeEvent outcome)
    {
        var tag = outcome.Outcome.MetricTag;
        switch (outcome.Outcome.Stage)
        {
            case ApiKeyOutcomeStage.Verification:
                _verifications.Add(1, tag);
                break;
            case ApiKeyOutcomeStage.Limits when outcome.LimitChecked:
                _decisions.Add(1, tag);
                break;
        }
    }
}

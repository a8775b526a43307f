using System.Diagnostics.Metrics;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Diagnostics;

/// <summary>
/// The request metrics of the <c>P2P.ApiKeys</c> meter, an observer of the seam: verifications by outcome and their
/// duration, and per-key limit decisions by outcome. Each instrument's <c>outcome</c> tag is the outcome's row of
/// <see cref="ApiKeyOutcomes"/>. Created through <see cref="IMeterFactory"/> so that each host (and each test host)
/// gets its own meter.
/// </summary>
internal sealed class ApiKeyMetrics : IApiKeyOutcomeObserver
{
    public const string MeterName = "P2P.ApiKeys";
    public const string VerificationsName = "p2p.apikeys.verifications";
    public const string DurationName = "p2p.apikeys.verification.duration";
    public const string DecisionsName = "p2p.apikeys.rate_limit.decisions";

    /// <summary>The tag every instrument of the meter names its outcome with.</summary>
    public const string OutcomeTag = ApiKeyOutcomes.OutcomeTagName;

    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _decisions;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>(VerificationsName, unit: "{verification}", description: "API-key verifications by outcome.");
        _duration = meter.CreateHistogram<double>(DurationName, unit: "s", description: "Time to verify an API key, store lookups included.");
        _decisions = meter.CreateCounter<long>(DecisionsName, unit: "{decision}", description: "Per-key rate-limit decisions by outcome.");
    }

    /// <summary>Whether anyone listens to the duration histogram; when nobody does, no clock is read for it.</summary>
    public bool TimesVerifications => _duration.Enabled;

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
                if (outcome.Elapsed is { } elapsed)
                {
                    _duration.Record(elapsed.TotalSeconds, tag);
                }

                break;
            case ApiKeyOutcomeStage.Limits when outcome.LimitChecked:
                _decisions.Add(1, tag);
                break;
        }
    }
}

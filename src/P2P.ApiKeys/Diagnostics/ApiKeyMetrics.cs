using System.Diagnostics.Metrics;

namespace P2P.ApiKeys.Diagnostics;

/// <summary>
/// The <c>P2P.ApiKeys</c> meter: a counter of verifications and a histogram of their duration, both tagged
/// with <c>outcome</c>. Created through <see cref="IMeterFactory"/> so that each host (and each test host)
/// gets its own meter.
/// </summary>
internal sealed class ApiKeyMetrics
{
    public const string MeterName = "P2P.ApiKeys";
    public const string VerificationsName = "p2p.apikeys.verifications";
    public const string DurationName = "p2p.apikeys.verification.duration";
    public const string OutcomeTag = "outcome";

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
    ];

    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _duration;

    public ApiKeyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>(VerificationsName, unit: "{verification}", description: "API-key verifications by outcome.");
        _duration = meter.CreateHistogram<double>(DurationName, unit: "s", description: "Time to verify an API key, store lookups included.");
    }

    public static string OutcomeName(ApiKeyVerificationOutcome outcome) => (string)OutcomeTags[(int)outcome].Value!;

    public void Record(ApiKeyVerificationOutcome outcome, TimeSpan elapsed)
    {
        var tag = OutcomeTags[(int)outcome];
        _verifications.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
    }
}

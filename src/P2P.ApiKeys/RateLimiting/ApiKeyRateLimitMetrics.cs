using System.Diagnostics.Metrics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// <c>p2p.apikeys.rate_limit.decisions</c> on the <c>P2P.ApiKeys</c> meter, tagged <c>outcome</c>: <c>allowed</c>,
/// <c>rate_limited</c>, <c>quota_exhausted</c>. Store lookups refused by the per-client limit are
/// verifications with outcome <c>client_throttled</c>.
/// </summary>
internal sealed class ApiKeyRateLimitMetrics
{
    public const string DecisionsName = "p2p.apikeys.rate_limit.decisions";

    private static readonly KeyValuePair<string, object?> Allowed = new(ApiKeyMetrics.OutcomeTag, "allowed");
    private static readonly KeyValuePair<string, object?> RateLimited = new(ApiKeyMetrics.OutcomeTag, "rate_limited");
    private static readonly KeyValuePair<string, object?> QuotaExhausted = new(ApiKeyMetrics.OutcomeTag, "quota_exhausted");

    private readonly Counter<long> _decisions;

    public ApiKeyRateLimitMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ApiKeyMetrics.MeterName);
        _decisions = meter.CreateCounter<long>(DecisionsName, unit: "{decision}", description: "Per-key rate-limit decisions by outcome.");
    }

    public void Record(ApiKeyLimitKind rejectedBy) => _decisions.Add(1, rejectedBy switch
    {
        ApiKeyLimitKind.None => Allowed,
        ApiKeyLimitKind.RateLimit => RateLimited,
        _ => QuotaExhausted,
    });
}

using System.Diagnostics.Metrics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>
/// On the <c>P2P.ApiKeys</c> meter: <c>p2p.apikeys.secret_scanning.requests</c> with attributes
/// <c>p2p.secret_scanning.provider</c> and <c>p2p.secret_scanning.outcome</c> (<c>accepted</c>, <c>replayed</c>, <c>unauthorized</c>, <c>too_large</c>, <c>unsupported_media_type</c>,
/// <c>invalid</c>, <c>throttled</c>, <c>store_unavailable</c>), so a flood of forged reports shows as a rate, not as log
/// lines; and <c>p2p.apikeys.secret_scanning.matches</c> with <c>p2p.secret_scanning.provider</c> and
/// <c>p2p.secret_scanning.result</c> (<c>malformed</c>,
/// <c>unknown</c>, <c>revoked</c>, <c>disabled</c>, <c>reported</c>, <c>already_refused</c>, <c>replayed</c>).
/// </summary>
internal sealed class SecretScanningMetrics
{
    public const string RequestsName = "p2p.apikeys.secret_scanning.requests";
    public const string MatchesName = "p2p.apikeys.secret_scanning.matches";
    public const string ProviderTag = "p2p.secret_scanning.provider";
    public const string OutcomeTag = "p2p.secret_scanning.outcome";
    public const string ResultTag = "p2p.secret_scanning.result";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _matches;

    public SecretScanningMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ApiKeyDiagnostics.MeterName);
        _requests = meter.CreateCounter<long>(RequestsName, unit: "{request}", description: "Secret-scanning requests by provider and outcome.");
        _matches = meter.CreateCounter<long>(MatchesName, unit: "{match}", description: "Reported tokens by provider and result (what was found and done).");
    }

    public void Request(SecretScanningProvider provider, string outcome) =>
        _requests.Add(1, new KeyValuePair<string, object?>(ProviderTag, provider.Name()), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    public void Match(SecretScanningProvider provider, string result) =>
        _matches.Add(1, new KeyValuePair<string, object?>(ProviderTag, provider.Name()), new KeyValuePair<string, object?>(ResultTag, result));
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// The <c>api_key.rotation_stalled</c> signal (a warning log, 1402, and the counter <c>p2p.apikeys.rotation_stalled</c>):
/// checked after each flush of the usage history, off the request path, for the keys whose requests it just wrote. A key
/// used in the last 10 % of its rotation grace period (<c>grace_ending</c>), or tried after it was revoked
/// (<c>revoked</c>) or after its grace ended (<c>grace_ended</c>), has clients that never switched. Once per key and
/// reason per host run.
/// </summary>
internal sealed class ApiKeyRotationStallSignal
{
    public const string CounterName = "p2p.apikeys.rotation_stalled";
    public const string ReasonTag = "p2p.api_key.stall_reason";

    private const int MaxRemembered = 10_000;

    private readonly IApiKeyStore _keys;
    private readonly ApiKeyRotationWatch _watch;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyRotationStallSignal> _logger;
    private readonly Counter<long> _stalled;
    private readonly HashSet<(Guid, string)> _signaled = [];

    public ApiKeyRotationStallSignal(
        IApiKeyStore keys, ApiKeyRotationWatch watch, TimeProvider time, ILogger<ApiKeyRotationStallSignal> logger, IMeterFactory meters)
    {
        _keys = keys;
        _watch = watch;
        _time = time;
        _logger = logger;
        _stalled = meters.Create(ApiKeyDiagnostics.MeterName).CreateCounter<long>(
            CounterName, unit: "{key}", description: "API keys still used near the end of their rotation grace period, or tried after their revocation.");
    }

    /// <summary>Called by the flush (one at a time): the hours just written and the latest grace-period use per key.</summary>
    public async Task CheckAsync(List<ApiKeyUsageRecord> hours, Dictionary<Guid, long> graceUses, CancellationToken cancellationToken)
    {
        var refused = hours.Where(h => h.Refused > 0).Select(h => h.KeyId).ToHashSet();
        if (refused.Count == 0 && graceUses.Count == 0)
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow();
            foreach (var keyId in refused.Union(graceUses.Keys))
            {
                if (await _keys.FindByIdAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } key)
                {
                    continue;
                }

                if (graceUses.TryGetValue(keyId, out var lastUse) && key.RevokedAt is { } graceEndsAt
                    && await _watch.RotationOfAsync(key, cancellationToken).ConfigureAwait(false) is var (_, rotatedAt)
                    && lastUse >= ApiKeyRotationWatch.StallWindowStart(rotatedAt, graceEndsAt).UtcTicks)
                {
                    Signal(key, "grace_ending");
                }

                if (refused.Contains(keyId) && key.IsRevokedAt(now))
                {
                    Signal(key, key.ReplacedByKeyId is null ? "revoked" : "grace_ended");
                }
            }
        }
#pragma warning disable CA1031 // The watch is advice: a store failure here must not fail the flush that already succeeded.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            ApiKeyUsageLog.RotationWatchFailed(_logger, refused.Count + graceUses.Count, ex);
        }
    }

    private void Signal(ApiKeyRecord key, string reason)
    {
        if (_signaled.Count >= MaxRemembered)
        {
            _signaled.Clear();
        }

        if (_signaled.Add((key.Id, reason)))
        {
            ApiKeyUsageLog.RotationStalled(_logger, key.LookupId, key.Id, reason);
            _stalled.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
        }
    }
}

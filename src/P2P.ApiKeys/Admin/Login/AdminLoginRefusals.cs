using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using P2P.ApiKeys.Admin.Audit;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.Admin.Login;

/// <summary>
/// Refused logins that anyone can cause without an account (the per-client limit, a locked account, an
/// unknown user name): each is counted in the <c>p2p.apikeys.admin.login.refusals</c> metric, but the audit
/// trail gets at most one row per action and account per <see cref="Window"/> on each node, so an anonymous
/// client cannot make the audit table grow with its request rate (docs/security.md rule 23).
/// </summary>
internal sealed class AdminLoginRefusals
{
    public const string RefusalsName = "p2p.apikeys.admin.login.refusals";
    public const string ReasonTag = "p2p.admin.login.refusal_reason";
    public const string ClientRateLimit = "client_rate_limit";
    public const string AccountLockout = "account_lockout";
    public const string UnknownUser = "unknown_user";

    /// <summary>How long one audit row stands for all refusals of its kind.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Keys are (action, known admin name or null): bounded by the number of admins, never by client input.
    // Pruned anyway once large, so that deleted admins do not linger.
    private const int PruneAbove = 1_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Action, string? Target), DateTimeOffset> _lastRow = [];
    private readonly Counter<long> _refusals;
    private readonly AdminAuditTrail _audit;
    private readonly TimeProvider _clock;

    public AdminLoginRefusals(IMeterFactory meterFactory, AdminAuditTrail audit, TimeProvider clock)
    {
        _audit = audit;
        _clock = clock;
        _refusals = meterFactory.Create(ApiKeyDiagnostics.MeterName)
            .CreateCounter<long>(RefusalsName, unit: "{refusal}", description: "Admin logins refused before or without a password check, by reason.");
    }

    /// <summary>Counts a refusal; writes its audit row only if none of its kind was written in this window.</summary>
    public ValueTask RecordAsync(HttpContext context, string action, string reason, string? target)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_lastRow.TryGetValue((action, target), out var last) && now - last < Window && now >= last)
            {
                return ValueTask.CompletedTask;
            }

            if (_lastRow.Count >= PruneAbove)
            {
                foreach (var stale in _lastRow.Where(p => now - p.Value >= Window).Select(p => p.Key).ToList())
                {
                    _lastRow.Remove(stale);
                }
            }

            _lastRow[(action, target)] = now;
        }

        return _audit.WriteAsync(context, action, target);
    }
}

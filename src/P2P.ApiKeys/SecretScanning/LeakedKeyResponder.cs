using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.SecretScanning;

/// <summary>One reported token, whichever scanner sent it, and where it was found (a URL, or GitHub's <c>source</c>).</summary>
internal readonly record struct ReportedToken(string Token, string Location);

/// <summary>
/// Decides, for each reported token, whether it is one of our keys, and applies <see cref="SecretScanningOptions.Action"/>
/// to those that are: through <see cref="IApiKeyManager.ReportLeakAsync"/> only (so every node hears of the change at once),
/// which writes one audit entry per change, with the change. A malformed token (wrong prefix, length or checksum) is a false positive from the string alone,
/// with no store call; a well-formed one is looked up once per report however often it appears.
/// </summary>
internal sealed class LeakedKeyResponder(
    IApiKeyManager manager,
    ApiKeyFormat format,
    IOptions<SecretScanningOptions> options,
    SecretScanningMetrics metrics,
    TimeProvider time,
    ILogger<LeakedKeyResponder> logger)
{
    /// <summary>Rereads and retries a change that lost a race with another one (another node handling the same report).</summary>
    private const int Attempts = 3;

    /// <summary>Tokens looked up and acted on at once: enough to overlap store round trips, few enough to leave the pool to others.</summary>
    internal const int Concurrency = 8;

    private readonly SecretScanningAction _action = options.Value.Action;

    /// <summary>
    /// Labels every token (<see langword="true"/>: one of our keys) and, unless <paramref name="replay"/>, acts on our keys.
    /// Distinct well-formed tokens are handled <see cref="Concurrency"/> at a time, each waiting mostly on the store.
    /// Store failures throw; nothing is half-done in a way a retry would not finish.
    /// </summary>
    public async Task<(bool[] Labels, int Acted)> RespondAsync(
        SecretScanningProvider provider, IReadOnlyList<ReportedToken> tokens, bool replay, string? clientAddress)
    {
        // The first occurrence of each well-formed token; the malformed are false positives from the string alone.
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!first.ContainsKey(tokens[i].Token))
            {
                if (format.TryParse(tokens[i].Token, out _) == ApiKeyParseStatus.Valid)
                {
                    first[tokens[i].Token] = i;
                }
                else
                {
                    first[tokens[i].Token] = -1;
                    metrics.Match(provider, "malformed");
                }
            }
        }

        var positives = new bool[tokens.Count];
        var acted = 0;
        var wellFormed = first.Values.Where(i => i >= 0);
        await Parallel.ForEachAsync(wellFormed, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
        {
            // Not cancellable once started: a real key was found in public, and the scanner hanging up changes nothing.
            if (await manager.FindByKeyAsync(tokens[i].Token, CancellationToken.None).ConfigureAwait(false) is not { Succeeded: true } found)
            {
                metrics.Match(provider, "unknown");
                return;
            }

            positives[i] = true;
            if (replay)
            {
                metrics.Match(provider, "replayed");
            }
            else if (await ActAsync(provider, found.Value, tokens[i].Location, clientAddress).ConfigureAwait(false))
            {
                Interlocked.Increment(ref acted);
            }
        }).ConfigureAwait(false);

        var labels = new bool[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            labels[i] = first[tokens[i].Token] is >= 0 and var at && positives[at];
        }

        return (labels, acted);
    }

    /// <summary>Applies the action; <see langword="false"/> when there was nothing to change (already refused).</summary>
    private async Task<bool> ActAsync(SecretScanningProvider provider, ApiKeyRecord key, string location, string? clientAddress)
    {
        var safeLocation = Sanitize(location);
        var actor = LeakAuditTrail.Actor(provider, safeLocation, clientAddress);
        for (var attempt = 1; ; attempt++)
        {
            var (auditAction, error) = await ApplyAsync(key, actor, CancellationToken.None).ConfigureAwait(false);
            if (error == ApiKeyError.Conflict && attempt < Attempts
                && await manager.GetAsync(key.Id, CancellationToken.None).ConfigureAwait(false) is { Succeeded: true } reread)
            {
                // Changed by someone else since it was read (another node acting on the same report): judge it again.
                key = reread.Value;
                continue;
            }

            if (auditAction is null || error != ApiKeyError.None)
            {
                metrics.Match(provider, "already_refused");
                return false;
            }

            SecretScanningLog.KeyLeaked(logger, key.Id, key.LookupId, provider.Name(), safeLocation, auditAction);
            metrics.Match(provider, auditAction switch
            {
                LeakAuditTrail.KeyRevoked => "revoked",
                LeakAuditTrail.KeyDisabled => "disabled",
                _ => "reported",
            });
            return true;
        }
    }

    /// <summary>
    /// Makes the change the action calls for, given the key's state: the audit action and the manager's error
    /// (<see cref="ApiKeyError.None"/> also when nothing had to be written, as for a report), or no audit action when the
    /// key is refused already.
    /// </summary>
    private async Task<(string? AuditAction, ApiKeyError Error)> ApplyAsync(ApiKeyRecord key, AuditActor actor, CancellationToken cancellationToken)
    {
        if (_action == SecretScanningAction.Report)
        {
            var reported = await manager.ReportLeakAsync(key.Id, ApiKeyLeakResponse.Report, actor, cancellationToken).ConfigureAwait(false);
            return (LeakAuditTrail.KeyLeakReported, reported.Error);
        }

        var now = time.GetUtcNow();
        if (key.IsRevokedAt(now) || key.IsExpiredAt(now) || (_action == SecretScanningAction.Disable && !key.Enabled && key.ReplacedByKeyId is null))
        {
            return (null, ApiKeyError.None); // refused everywhere already
        }

        // A key in a rotation's grace period cannot be disabled (the manager changes only keys not rotated): revoke it.
        if (_action == SecretScanningAction.Revoke || key.ReplacedByKeyId is not null)
        {
            var revoked = await manager.ReportLeakAsync(key.Id, ApiKeyLeakResponse.Revoke, actor, cancellationToken).ConfigureAwait(false);
            return (LeakAuditTrail.KeyRevoked, revoked.Error);
        }

        var disabled = await manager.ReportLeakAsync(key.Id, ApiKeyLeakResponse.Disable, actor, cancellationToken).ConfigureAwait(false);
        return (LeakAuditTrail.KeyDisabled, disabled.Error);
    }

    /// <summary>
    /// The location as logged and audited: at most 512 characters, control characters and line separators replaced, so
    /// that a report can neither start a log line nor fill the audit trail.
    /// </summary>
    internal static string Sanitize(string location)
    {
        const int MaxLength = 512;
        if (location.Length == 0)
        {
            return "(no location)";
        }

        var text = location.Length > MaxLength ? location[..MaxLength] : location;
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c);
        }

        return builder.ToString();
    }
}

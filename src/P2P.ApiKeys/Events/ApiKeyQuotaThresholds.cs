using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Events;

/// <summary>
/// <c>api_key.quota_threshold</c>: an observer of the seam (<see cref="IApiKeyOutcomeObserver"/>, limit stage) that sees
/// the units counted in a key's quota period (<see cref="ApiKeyOutcomeEvent.QuotaUsed"/>) and, when they reach one of
/// <see cref="ApiKeyEventOptions.QuotaThresholds"/> (default 0.8 and 1.0 of the quota), queues an outbox row whose id is
/// derived from the lineage, the period's start and the fraction. The request's thread only compares and, once per
/// lineage, period and fraction on this node, writes to a channel; the dispatcher adds the row, and the outbox's primary
/// key keeps it to one across nodes and rotations (the quota counts per lineage).
/// </summary>
internal sealed class ApiKeyQuotaThresholds(IOptions<ApiKeyEventOptions> options) : IApiKeyOutcomeObserver
{
    private readonly double[] _fractions = [.. options.Value.QuotaThresholds.Where(f => f > 0).Order()];
    private readonly ConcurrentDictionary<(Guid Lineage, long PeriodStart, double Fraction), byte> _queued = new();
    private readonly Channel<ApiKeyEventRecord> _rows = Channel.CreateBounded<ApiKeyEventRecord>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool TimesVerifications => false;

    public void OnOutcome(in ApiKeyOutcomeEvent outcome)
    {
        if (!outcome.LimitChecked || outcome.QuotaUsed <= 0 || outcome.Key is not { Quota: { } quota } key || _fractions.Length == 0)
        {
            return;
        }

        var periodStart = quota.PeriodStart(outcome.At);
        for (var i = _fractions.Length - 1; i >= 0; i--)
        {
            var fraction = _fractions[i];
            if (outcome.QuotaUsed < fraction * quota.Limit)
            {
                continue;
            }

            // The highest fraction reached; lower ones crossed in the same request are sent too (a jump from 70 % to 100 %).
            for (var j = i; j >= 0; j--)
            {
                if (_queued.TryAdd((key.LineageId, periodStart.UtcTicks, _fractions[j]), 0))
                {
                    _rows.Writer.TryWrite(Row(key, quota, periodStart, _fractions[j], outcome.QuotaUsed, outcome.At));
                }
            }

            return;
        }
    }

    /// <summary>Adds the queued rows to the outbox (called by the dispatcher); the number added.</summary>
    public async Task<int> FlushAsync(IApiKeyEventOutbox outbox, CancellationToken cancellationToken)
    {
        var added = 0;
        while (_rows.Reader.TryRead(out var row))
        {
            if (await outbox.TryAddAsync(row, cancellationToken).ConfigureAwait(false))
            {
                added++;
            }
        }

        return added;
    }

    private static ApiKeyEventRecord Row(VerifiedApiKey key, RateLimiting.ApiKeyQuota quota, DateTimeOffset periodStart, double fraction, long used, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", key.Id);
            json.WriteString("lineage_id", key.LineageId);
            json.WriteString("lookup_id", key.LookupId);
            if (key.Owner is null)
            {
                json.WriteNull("owner");
            }
            else
            {
                json.WriteString("owner", key.Owner);
            }

            json.WriteNumber("threshold", fraction);
            json.WriteNumber("used", used);
            json.WriteNumber("limit", quota.Limit);
            json.WriteString("period", quota.Period == RateLimiting.ApiKeyQuotaPeriod.Day ? "day" : "month");
            json.WriteString("period_start", periodStart);
            json.WriteString("period_end", quota.PeriodEnd(now));
            json.WriteStartObject("actor");
            json.WriteString("kind", AuditActor.System.KindName);
            json.WriteNull("name");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new ApiKeyEventRecord
        {
            Id = RowId(key.LineageId, periodStart, fraction),
            Type = ApiKeyEventTypes.QuotaThreshold,
            OccurredAt = now,
            KeyId = key.Id,
            Data = Encoding.UTF8.GetString(buffer.WrittenSpan),
            NextAttemptAt = now,
        };
    }

    internal static Guid RowId(Guid lineage, DateTimeOffset periodStart, double fraction)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"api_key.quota_threshold|{lineage:N}|{periodStart.UtcTicks}|{fraction:R}")), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Events;

/// <summary>
/// Finds the active keys whose expiry is within the longest of <see cref="ApiKeyEventOptions.ExpiringLeadTimes"/> and
/// writes an <c>api_key.expiring</c> row for the shortest lead time each one is inside. The row's id is derived from the
/// key, the lead time and the expiry, so however many nodes scan at once (and however often), the outbox's primary key
/// lets exactly one row in per key, lead time and expiry; a new expiry (an update) gets its own reminders.
/// </summary>
internal sealed class ApiKeyExpiryScanner(IApiKeyStore keys, IApiKeyEventOutbox outbox, IOptions<ApiKeyEventOptions> options, TimeProvider time)
{
    private const int PageSize = 500;

    /// <summary>Scans once; the number of rows this call added.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var leads = options.Value.ExpiringLeadTimes.Where(l => l > TimeSpan.Zero).Order().ToArray();
        if (leads.Length == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var filter = new ApiKeyFilter { State = ApiKeyState.Active, AsOf = now, ExpiresBefore = now + leads[^1] };
        var due = new List<ApiKeyRecord>();
        for (var skip = 0; ; skip += PageSize)
        {
            var page = 0;
            await foreach (var key in keys.ListAsync(filter, skip, PageSize, cancellationToken).ConfigureAwait(false))
            {
                page++;
                if (key.Enabled && key.ReplacedByKeyId is null)
                {
                    due.Add(key);
                }
            }

            if (page < PageSize)
            {
                break;
            }
        }

        var added = 0;
        foreach (var key in due)
        {
            var expires = key.ExpiresAt!.Value;
            var lead = leads.First(l => expires - l <= now); // the shortest window the key is inside
            var row = new ApiKeyEventRecord
            {
                Id = RowId(key.Id, lead, expires),
                Type = ApiKeyEventTypes.Expiring,
                OccurredAt = now,
                KeyId = key.Id,
                Data = ApiKeyEventPayload.Write(key, AuditActor.System, leadTime: lead),
                NextAttemptAt = now,
            };
            if (await outbox.TryAddAsync(row, cancellationToken).ConfigureAwait(false))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>A name-based id (version 8) from the key, the lead time and the expiry: the same on every node.</summary>
    internal static Guid RowId(Guid keyId, TimeSpan lead, DateTimeOffset expiresAt)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes($"api_key.expiring|{keyId:N}|{lead.Ticks}|{expiresAt.UtcTicks}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}

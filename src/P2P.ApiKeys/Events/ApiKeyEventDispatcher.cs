using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Stores;
using StandardWebhooks;

namespace P2P.ApiKeys.Events;

/// <summary>
/// Runs on every node: every <see cref="ApiKeyEventOptions.PollInterval"/> it claims due events from the outbox (a lease,
/// so each goes to one node), hands each to the in-process <see cref="IApiKeyEventHandler"/>s and to every endpoint that
/// wants its type as a Standard Webhook (<c>webhook-id</c>, <c>webhook-timestamp</c>, one <c>v1,</c> signature per active
/// secret), and records the outcome: delivered, retried after an exponential back-off, or failed once
/// <see cref="ApiKeyEventRetryOptions.GiveUpAfter"/> has passed since the change. Nothing here runs on a request's thread.
/// </summary>
internal sealed class ApiKeyEventDispatcher(
    IApiKeyEventOutbox outbox,
    IEnumerable<IApiKeyEventHandler> handlers,
    IHttpClientFactory httpClients,
    IOptions<ApiKeyEventOptions> options,
    ApiKeyExpiryScanner expiry,
    ApiKeyQuotaThresholds quotaThresholds,
    ApiKeyEventMetrics metrics,
    TimeProvider time,
    ILogger<ApiKeyEventDispatcher> logger) : BackgroundService
{
    private readonly ApiKeyEventOptions _options = options.Value;
    private readonly IApiKeyEventHandler[] _handlers = [.. handlers];
    private const int PruneBatch = 500;
    private DateTimeOffset _nextExpiryScan = DateTimeOffset.MinValue;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int claimed;
            try
            {
                if (time.GetUtcNow() >= _nextExpiryScan)
                {
                    _nextExpiryScan = time.GetUtcNow() + _options.ExpiryScanInterval;
                    await expiry.ScanAsync(stoppingToken).ConfigureAwait(false);
                }

                if (time.GetUtcNow() >= _nextPrune)
                {
                    _nextPrune = time.GetUtcNow() + _options.PruneInterval;
                    await PruneAsync(stoppingToken).ConfigureAwait(false);
                }

                claimed = await DispatchOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The dispatcher must outlive a store outage: log and poll again.
            catch (Exception ex)
            {
                ApiKeyEventLog.OutboxFailed(logger, ex);
                claimed = 0;
            }
#pragma warning restore CA1031

            if (claimed < _options.BatchSize)
            {
                try
                {
                    await Task.Delay(_options.PollInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Deletes the delivered and failed events older than <see cref="ApiKeyEventOptions.Retention"/>, in batches of
    /// 500 (short statements: the outbox stays writable meanwhile); the number deleted.
    /// </summary>
    internal async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        if (_options.Retention == Timeout.InfiniteTimeSpan)
        {
            return 0;
        }

        var before = time.GetUtcNow() - _options.Retention;
        var total = 0;
        int deleted;
        do
        {
            deleted = await outbox.PruneAsync(before, PruneBatch, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == PruneBatch);

        if (total > 0)
        {
            ApiKeyEventLog.Pruned(logger, total, before);
        }

        return total;
    }

    /// <summary>Claims one batch and delivers it; the number of events claimed.</summary>
    internal async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await quotaThresholds.FlushAsync(outbox, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var batch = await outbox.ClaimAsync(_options.NodeName, now, now + _options.LeaseDuration, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (row, ct) => await DeliverAsync(row, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return batch.Count;
    }

    private async Task DeliverAsync(ApiKeyEventRecord row, CancellationToken cancellationToken)
    {
        var id = WebhookId(row.Id);
        var ok = true;
        var apiKeyEvent = new ApiKeyEvent { Id = id, Type = row.Type, Timestamp = row.OccurredAt, KeyId = row.KeyId, Data = JsonDocument.Parse(row.Data).RootElement.Clone() };
        foreach (var handler in _handlers)
        {
#pragma warning disable CA1031 // A handler's failure is the event's failure: retried, never the dispatcher's end.
            try
            {
                await handler.HandleAsync(apiKeyEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ApiKeyEventLog.HandlerFailed(logger, id, row.Type, row.Attempts + 1, ex);
                ok = false;
            }
#pragma warning restore CA1031
        }

        var endpoints = _options.Endpoints.Where(e => e.Wants(row.Type)).ToList();
        if (endpoints.Count > 0)
        {
            var body = Body(row);
            foreach (var endpoint in endpoints)
            {
                ok &= await SendAsync(endpoint, id, row, body, cancellationToken).ConfigureAwait(false);
            }
        }

        var now = time.GetUtcNow();
        row.Attempts++;
        if (ok)
        {
            row.DeliveredAt = now;
            metrics.Delivered(row.Type, now - row.OccurredAt);
            ApiKeyEventLog.Delivered(logger, id, row.Type);
        }
        else
        {
            var delay = Backoff(row.Attempts);
            if (now + delay - row.OccurredAt > _options.Retry.GiveUpAfter)
            {
                row.FailedAt = now;
                metrics.Failed(row.Type);
                ApiKeyEventLog.GaveUp(logger, id, row.Type, row.Attempts);
            }
            else
            {
                row.NextAttemptAt = now + delay;
                metrics.Retried(row.Type);
                ApiKeyEventLog.RetryScheduled(logger, id, row.Type, row.NextAttemptAt);
            }
        }

        // Not cancellable: a delivery that happened must be recorded, or it is repeated (at least once, never lost).
        await outbox.CompleteAsync(row, _options.NodeName, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<bool> SendAsync(ApiKeyWebhookEndpoint endpoint, string id, ApiKeyEventRecord row, byte[] body, CancellationToken cancellationToken)
    {
        var sentAt = time.GetUtcNow();
        var payload = Encoding.UTF8.GetString(body);
        var signatures = string.Join(' ', endpoint.Secrets.Select(secret => new StandardWebhook(secret).Sign(id, sentAt, payload)));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signatures);
        var host = new Uri(endpoint.Url).Authority;
        try
        {
            using var response = await httpClients.CreateClient(ApiKeyEventOptions.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            ApiKeyEventLog.WebhookFailed(logger, id, row.Type, host, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), row.Attempts + 1);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            ApiKeyEventLog.WebhookFailed(logger, id, row.Type, host, ex.GetType().Name, row.Attempts + 1);
            return false;
        }
    }

    /// <summary><c>{"type", "timestamp", "data"}</c>, the Standard Webhooks body.</summary>
    internal static byte[] Body(ApiKeyEventRecord row)
    {
        var buffer = new ArrayBufferWriter<byte>(row.Data.Length + 96);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", row.Type);
            json.WriteString("timestamp", row.OccurredAt);
            json.WritePropertyName("data");
            json.WriteRawValue(row.Data, skipInputValidation: false);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal static string WebhookId(Guid id) => "evt_" + id.ToString("N");

    private TimeSpan Backoff(int attempts)
    {
        var retry = _options.Retry;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = retry.InitialDelay.TotalMilliseconds * factor;
        return delay >= retry.MaxDelay.TotalMilliseconds ? retry.MaxDelay : TimeSpan.FromMilliseconds(delay);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.EFCore.Stores;

namespace P2P.ApiKeys.EFCore.ChangeNotifications;

/// <summary>
/// Change notifications for databases without push (SQL Server, MySQL, SQLite shared by processes): a change is a
/// row in <c>p2p_api_key_changes</c>, and every node reads the rows it has not seen once per
/// <see cref="PollingChangeNotificationOptions.PollInterval"/>, handing each to <see cref="IApiKeyChangeReceiver"/>.
/// </summary>
/// <remarks>
/// A poll reads the rows past its cursor and, besides, every row of the last
/// <see cref="PollingChangeNotificationOptions.Lookback"/>: database-generated ids are handed out at insert but
/// become visible at commit, so a row can appear behind the cursor; rows already handled are skipped by id. A
/// failed poll reports the outage; the first poll that works again restarts from the current end of the feed and
/// tells the receiver, which clears the cache. Each node deletes rows older than
/// <see cref="PollingChangeNotificationOptions.Retention"/> at its first poll and then once a minute.
/// </remarks>
internal sealed class PollingChangeNotifier<TContext>(
    StoreContextFactory<TContext> contexts,
    IOptions<PollingChangeNotificationOptions> options,
    IApiKeyChangeReceiver receiver,
    TimeProvider timeProvider,
    ILogger<PollingChangeNotifier<TContext>> logger)
    : BackgroundService, IApiKeyChangePublisher
    where TContext : DbContext
{
    public const string NotifierName = "polling";

    private readonly PollingChangeNotificationOptions _options = options.Value;

    public string Name => NotifierName;

    public async ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lookupId);
        if (lookupId.Length > ApiKeyChange.MaxLookupIdLength)
        {
            throw new ArgumentException($"A lookup id is at most {ApiKeyChange.MaxLookupIdLength} characters.", nameof(lookupId));
        }

        var lease = await contexts.CreateAsync(cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            lease.Context.Set<ApiKeyChange>().Add(new ApiKeyChange { LookupId = lookupId, ChangedAt = timeProvider.GetUtcNow() });
            await lease.Context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, timeProvider);
        PollingLog.Started(logger, _options.PollInterval.TotalMilliseconds);
        var reading = false;
        var outageReported = false;
        var cursor = 0L;
        var seen = new Dictionary<long, DateTimeOffset>();
        var lastPoll = DateTimeOffset.MinValue;
        var lastPrune = DateTimeOffset.MinValue;
        try
        {
            do
            {
                var now = timeProvider.GetUtcNow();
                using var connecting = reading ? null : PollingActivity.StartConnect(Name);
                try
                {
                    var lease = await contexts.CreateAsync(stoppingToken).ConfigureAwait(false);
                    await using (lease.ConfigureAwait(false))
                    {
                        var feed = lease.Context.Set<ApiKeyChange>();
                        if (!reading)
                        {
                            // (Re)start: what is already in the feed is covered by the cache clear that follows.
                            cursor = await feed.Select(c => (long?)c.Id).MaxAsync(stoppingToken).ConfigureAwait(false) ?? 0;
                            seen.Clear();
                            reading = true;
                            outageReported = false;
                            receiver.Connected(Name);
                        }
                        else
                        {
                            var since = lastPoll - _options.Lookback;
                            var last = cursor;
                            var rows = await feed.AsNoTracking()
                                .Where(c => c.Id > last || c.ChangedAt >= since)
                                .OrderBy(c => c.Id)
                                .Select(c => new { c.Id, c.LookupId, c.ChangedAt })
                                .ToListAsync(stoppingToken).ConfigureAwait(false);
                            foreach (var row in rows)
                            {
                                if (seen.TryAdd(row.Id, row.ChangedAt))
                                {
                                    receiver.KeyChanged(Name, row.LookupId);
                                }

                                cursor = Math.Max(cursor, row.Id);
                            }

                            // Rows behind the cursor and out of the window are never read again.
                            foreach (var (id, changedAt) in seen)
                            {
                                if (id <= cursor && changedAt < since)
                                {
                                    seen.Remove(id);
                                }
                            }
                        }

                        lastPoll = now;
                        receiver.Heartbeat(Name); // a poll that worked: the notifier health check's heartbeat
                        if (now - lastPrune >= TimeSpan.FromMinutes(1) || now - lastPrune >= _options.Retention)
                        {
                            lastPrune = now;
                            var cutoff = now - _options.Retention;
                            var pruned = await feed.Where(c => c.ChangedAt < cutoff).ExecuteDeleteAsync(stoppingToken).ConfigureAwait(false);
                            PollingLog.Pruned(logger, pruned, cutoff);
                        }
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // Whatever failed, the next poll tries again; CacheTtl covers the meantime.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    PollingActivity.Fail(connecting, ex);
                    // One warning per outage (also one that starts with the first poll, such as a missing table),
                    // not one per poll; the polls after it are logged at Debug.
                    if (reading || !outageReported)
                    {
                        reading = false;
                        outageReported = true;
                        receiver.Disconnected(Name, ex);
                    }
                    else
                    {
                        PollingLog.PollFailed(logger, ex);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

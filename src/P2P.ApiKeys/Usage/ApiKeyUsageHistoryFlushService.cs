using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// Adds the counts of <see cref="ApiKeyUsageHistory"/> to the store once per
/// <see cref="ApiKeyUsageHistoryOptions.FlushInterval"/>, early when many key-hours wait, and once more when the host
/// stops (a graceful stop loses no count); after a flush, at most once an hour, it prunes what retention no longer keeps.
/// </summary>
internal sealed class ApiKeyUsageHistoryFlushService(ApiKeyUsageHistory history, IOptions<ApiKeyUsageHistoryOptions> options, TimeProvider timeProvider)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!history.IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.FlushInterval, timeProvider);
        try
        {
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            var early = history.WaitForEarlyFlushRequestAsync(stoppingToken);
            while (true)
            {
                var woken = await Task.WhenAny(tick, early).ConfigureAwait(false);
                if (woken == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }

                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    await early.ConfigureAwait(false);
                    early = history.WaitForEarlyFlushRequestAsync(stoppingToken);
                }

                await history.FlushAsync(stoppingToken).ConfigureAwait(false);
                await history.PruneAsync(force: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the final flush happens in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await history.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

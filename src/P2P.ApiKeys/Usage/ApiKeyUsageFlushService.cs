using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// Writes the last-used times collected by <see cref="ApiKeyUsageTracker"/> once per
/// <see cref="ApiKeyOptions.LastUsedFlushInterval"/>, early when the tracker holds
/// <see cref="ApiKeyOptions.CacheSizeLimit"/> keys, and once more when the host stops.
/// </summary>
internal sealed class ApiKeyUsageFlushService(ApiKeyUsageTracker tracker, IOptions<ApiKeyOptions> options, TimeProvider timeProvider)
    : BackgroundService
{
    private readonly TimeProvider _timeProvider = timeProvider;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval, _timeProvider);
        try
        {
            // Both waits live across iterations: neither is ever abandoned and re-created while pending.
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            var early = tracker.WaitForEarlyFlushRequestAsync(stoppingToken);
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
                    early = tracker.WaitForEarlyFlushRequestAsync(stoppingToken);
                }

                await tracker.FlushAsync(stoppingToken).ConfigureAwait(false);
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
        await tracker.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Caching;

/// <summary>
/// Writes the last-used times collected by <see cref="ApiKeyUsageTracker"/> once per
/// <see cref="ApiKeyOptions.LastUsedFlushInterval"/>, and once more when the host stops.
/// </summary>
internal sealed class ApiKeyUsageFlushService(ApiKeyUsageTracker tracker, IOptions<ApiKeyOptions> options, TimeProvider timeProvider)
    : BackgroundService
{
    private readonly TimeProvider _timeProvider = options.Value.TimeProvider ?? timeProvider;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
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

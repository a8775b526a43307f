using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Makes the in-process limiter's quota counts durable: loads them from the <see cref="IApiKeyQuotaCountStore"/> when the
/// host starts (hosted services start before the server takes requests), writes the changed ones back once per
/// <see cref="ApiKeyRateLimitOptions.QuotaFlushInterval"/>, and all of them when the host stops. Does nothing without
/// such a store, or when another limiter (Redis) decides: Redis keeps its own counts.
/// </summary>
internal sealed class ApiKeyQuotaPersistenceService(
    IServiceProvider services,
    IOptions<ApiKeyRateLimitOptions> options,
    TimeProvider time,
    ILogger<ApiKeyQuotaPersistenceService> logger) : BackgroundService
{
    private readonly LocalApiKeyLimiter? _local = services.GetService<IApiKeyLimiter>() as LocalApiKeyLimiter;
    private readonly IApiKeyQuotaCountStore? _store = services.GetService<IApiKeyQuotaCountStore>();
#pragma warning disable CA2213 // Never disposed on purpose, as the usage tracker's gate: a host may be disposed before (or while)
    // it stops, and the final flush must still get through; SemaphoreSlim holds no unmanaged handle unless AvailableWaitHandle is used.
    private readonly SemaphoreSlim _gate = new(1, 1);
#pragma warning restore CA2213

    private bool Active => _local is not null && _store is not null;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Active)
        {
            try
            {
                var counts = await _store!.LoadAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                foreach (var count in counts)
                {
                    _local!.Seed(count);
                }

                ApiKeyLimitLog.QuotaCountsLoaded(logger, counts.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A store without the table yet (a migration not applied) must not stop the host: counts start from zero.
                ApiKeyLimitLog.QuotaCountsLoadFailed(logger, ex);
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Active)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.QuotaFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Active)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the counts changed since the last flush; a failed write keeps them for the next one.</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = _local!.TakeChangedQuotas();
            if (changed.Count == 0)
            {
                return;
            }

            try
            {
                await _store!.SaveAsync(changed, cancellationToken).ConfigureAwait(false);
                ApiKeyLimitLog.QuotaCountsSaved(logger, changed.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _local.MarkChanged(changed);
                ApiKeyLimitLog.QuotaCountsSaveFailed(logger, changed.Count, ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

using Npgsql;
using P2P.ApiKeys.Caching;

namespace AdminApi.Data;

/// <summary>
/// Immediate revocation across nodes for the PostgreSQL deployment, through the library's
/// <see cref="IApiKeyChangeNotifier"/> extension point: a key change (revoke, rotate) drops the key from this
/// node's cache at once and is published with <c>pg_notify</c>; every node <c>LISTEN</c>s and drops the keys the
/// others changed. Without it, other nodes see a revocation only when their cache entry expires (<c>CacheTtl</c>).
/// </summary>
/// <remarks>
/// Fails safe both ways: a change that cannot be published still takes effect here and reaches the other nodes
/// within <c>CacheTtl</c>; a node whose listening connection drops clears its whole cache once it listens again,
/// since it may have missed changes in between. A payload is only ever used as a key to evict.
/// </remarks>
internal sealed partial class PostgreSqlKeyChangeNotifier(
    string connectionString,
    IApiKeyVerificationCache cache,
    ILogger<PostgreSqlKeyChangeNotifier> logger)
    : BackgroundService, IApiKeyChangeNotifier
{
    /// <summary>The notification channel; every node of one deployment uses the same database and channel.</summary>
    public const string Channel = "p2p_api_key_changes";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    public async ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookupId);
        cache.Remove(lookupId);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @lookupId)", connection);
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("lookupId", lookupId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
#pragma warning disable CA1031 // The change is already stored and evicted here: a failed publish must not fail the admin call.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogPublishFailed(logger, lookupId, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => cache.Remove(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Changes made while this node was not listening were missed: verify every key afresh.
                cache.Clear();
                LogListening(logger, Channel);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                LogListenFailed(logger, ReconnectDelay.TotalSeconds, ex);
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Listening for API-key changes on PostgreSQL channel {Channel}.")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Lost the API-key change listener; reconnecting in {Seconds} s. Other nodes' changes reach this node within CacheTtl meanwhile.")]
    private static partial void LogListenFailed(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Could not publish the change of API key {LookupId}; other nodes see it within CacheTtl.")]
    private static partial void LogPublishFailed(ILogger logger, string lookupId, Exception exception);
}

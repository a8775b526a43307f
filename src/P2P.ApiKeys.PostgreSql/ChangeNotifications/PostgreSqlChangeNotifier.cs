using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using P2P.ApiKeys.ChangeNotifications;

namespace P2P.ApiKeys.PostgreSql;

/// <summary>
/// Publishes key changes with <c>pg_notify</c> and, on one dedicated connection per node, <c>LISTEN</c>s for the
/// changes of every node, handing each to <see cref="IApiKeyChangeReceiver"/>. A lost connection is replaced
/// after <see cref="PostgreSqlChangeNotificationOptions.ReconnectDelay"/>; the receiver clears the cache each
/// time the listener listens again, since it may have missed changes meanwhile.
/// </summary>
internal sealed class PostgreSqlChangeNotifier : BackgroundService, IApiKeyChangePublisher
{
    public const string NotifierName = "postgresql";

    private readonly PostgreSqlChangeNotificationOptions _options;
    private readonly IApiKeyChangeReceiver _receiver;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PostgreSqlChangeNotifier> _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _listen;

    public PostgreSqlChangeNotifier(
        IOptions<PostgreSqlChangeNotificationOptions> options,
        IApiKeyChangeReceiver receiver,
        IServiceProvider services,
        TimeProvider timeProvider,
        ILogger<PostgreSqlChangeNotifier> logger)
    {
        _options = options.Value;
        _receiver = receiver;
        _timeProvider = timeProvider;
        _logger = logger;
        _listen = $"LISTEN \"{_options.Channel}\""; // the channel is validated: lower-case letters, digits, '_'
        if (_options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else if (_options.ConnectionString is { Length: > 0 } connectionString)
        {
            _dataSource = NpgsqlDataSource.Create(connectionString);
            _ownsDataSource = true;
        }
        else
        {
            _dataSource = services.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException(
                "AddPostgreSqlChangeNotifications needs a connection string, an NpgsqlDataSource in its options, or an NpgsqlDataSource registered in the service collection.");
        }
    }

    public string Name => NotifierName;

    public async ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken)
    {
        var command = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _options.Channel });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lookupId });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // One warning per outage, not one per reconnect attempt; the attempts after it are logged at Debug.
        var outageReported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var listening = false;
            var connecting = NotifierActivity.StartConnect(Name);
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += OnNotification;
                    try
                    {
                        await ExecuteAsync(connection, _listen, stoppingToken).ConfigureAwait(false);
                        listening = true;
                        outageReported = false;
                        _receiver.Connected(Name);
                        connecting?.Dispose();
                        connecting = null;
                        PostgreSqlLog.Listening(_logger, _options.Channel);
                        while (true)
                        {
                            if (!await connection.WaitAsync(_options.KeepAliveInterval, stoppingToken).ConfigureAwait(false))
                            {
                                // Silent for a while: a round trip proves the connection (and so the LISTEN) alive.
                                await ExecuteAsync(connection, "SELECT 1", stoppingToken).ConfigureAwait(false);
                            }

                            // A notification or a keep-alive round trip: the connection listens (health check heartbeat).
                            _receiver.Heartbeat(Name);
                        }
                    }
                    finally
                    {
                        connection.Notification -= OnNotification;
                        if (stoppingToken.IsCancellationRequested && connection.State == System.Data.ConnectionState.Open)
                        {
                            // A pooled connection must not go back to the pool still listening.
                            await TryUnlistenAsync(connection).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                connecting?.Dispose();
                return;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the listener must come back.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                NotifierActivity.Fail(connecting, ex);
                if (!outageReported)
                {
                    outageReported = true;
                    _receiver.Disconnected(Name, ex);
                    PostgreSqlLog.ListenFailed(_logger, _options.Channel, listening, _options.ReconnectDelay.TotalSeconds);
                }
                else
                {
                    PostgreSqlLog.ReconnectFailed(_logger, _options.Channel, ex);
                }
            }

            try
            {
                await Task.Delay(_options.ReconnectDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (string.Equals(e.Channel, _options.Channel, StringComparison.Ordinal))
        {
            _receiver.KeyChanged(Name, e.Payload);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task TryUnlistenAsync(NpgsqlConnection connection)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ExecuteAsync(connection, "UNLISTEN *", timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort while stopping: a broken connection is discarded by the pool anyway.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}

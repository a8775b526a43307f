using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.ChangeNotifications;
using StackExchange.Redis;

namespace P2P.ApiKeys.Redis;

/// <summary>
/// Publishes key changes on a Redis pub/sub channel and subscribes to the changes of every node, handing each to
/// <see cref="IApiKeyChangeReceiver"/>.
/// </summary>
/// <remarks>
/// StackExchange.Redis reconnects and subscribes again by itself after an outage, but says so
/// (<c>ConnectionRestored</c>) before the new subscription is in place. So the notifier proves its subscription
/// with a probe of its own: it publishes a token until that token comes back on the channel, and only then tells
/// the receiver that it listens, which clears the cache. A change published before that point is covered by the
/// clear; one published after it is delivered.
/// </remarks>
internal sealed class RedisChangeNotifier : BackgroundService, IApiKeyChangePublisher
{
    public const string NotifierName = "redis";

    // Real payloads are lookup ids (letters and digits), so a probe can never be taken for one.
    private const string ProbePrefix = "!probe:";

    private readonly RedisChangeNotificationOptions _options;
    private readonly IApiKeyChangeReceiver _receiver;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RedisChangeNotifier> _logger;
    private readonly RedisChannel _channel;
    private readonly Channel<bool> _confirmRequests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly TaskCompletionSource<IConnectionMultiplexer> _connection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionMultiplexer? _ownedConnection;
    private volatile ProbeWait? _probe;
    private int _subscriptionDown;

    public RedisChangeNotifier(
        IOptions<RedisChangeNotificationOptions> options,
        IApiKeyChangeReceiver receiver,
        IServiceProvider services,
        TimeProvider timeProvider,
        ILogger<RedisChangeNotifier> logger)
    {
        _options = options.Value;
        _receiver = receiver;
        _services = services;
        _timeProvider = timeProvider;
        _logger = logger;
        _channel = RedisChannel.Literal(_options.Channel);
    }

    public string Name => NotifierName;

    public async ValueTask PublishAsync(string lookupId, CancellationToken cancellationToken)
    {
        var connection = await _connection.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await connection.GetSubscriber().PublishAsync(_channel, lookupId).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IConnectionMultiplexer connection;
        try
        {
            connection = await ConnectAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        try
        {
            var subscriber = connection.GetSubscriber();
            var subscribeFailureReported = false;
            while (true)
            {
                try
                {
                    await subscriber.SubscribeAsync(_channel, OnMessage).ConfigureAwait(false);
                    break;
                }
#pragma warning disable CA1031 // Redis may be down at start-up: keep trying, CacheTtl covers the meantime.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (!subscribeFailureReported)
                    {
                        subscribeFailureReported = true; // once, not every RetryInterval while Redis is down
                        RedisLog.SubscribeFailed(_logger, _options.Channel, _options.RetryInterval.TotalMilliseconds, ex);
                    }

                    await Task.Delay(_options.RetryInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }

            _connection.TrySetResult(connection);
            _confirmRequests.Writer.TryWrite(true);
            while (true)
            {
                if (!await WaitForConfirmRequestAsync(stoppingToken).ConfigureAwait(false))
                {
                    await KeepAliveAsync(subscriber, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                using var connecting = RedisActivity.StartNotifierConnect(Name);
                try
                {
                    await ConfirmSubscriptionAsync(subscriber, stoppingToken).ConfigureAwait(false);
                    Volatile.Write(ref _subscriptionDown, 0);
                    _receiver.Connected(Name);
                    RedisLog.Subscribed(_logger, _options.Channel);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    RedisActivity.Fail(connecting, ex);
                    // Never let the listener die (a dead BackgroundService stops the host): confirm again shortly.
                    RedisLog.SubscribeFailed(_logger, _options.Channel, _options.RetryInterval.TotalMilliseconds, ex);
                    await Task.Delay(_options.RetryInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                    _confirmRequests.Writer.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            connection.ConnectionFailed -= OnConnectionFailed;
            connection.ConnectionRestored -= OnConnectionRestored;
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _ownedConnection?.Dispose();
    }

    private async Task<IConnectionMultiplexer> ConnectAsync(CancellationToken stoppingToken)
    {
        if (_options.Configuration is not { Length: > 0 } configuration)
        {
            return _services.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
                "AddRedisChangeNotifications needs a configuration string, or an IConnectionMultiplexer registered in the service collection.");
        }

        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false; // start even while Redis is down; it connects when Redis is back
        _ownedConnection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(stoppingToken).ConfigureAwait(false);
        return _ownedConnection;
    }

    /// <returns><see langword="true"/> when the subscription must be confirmed (again); <see langword="false"/> after <see cref="RedisChangeNotificationOptions.KeepAliveInterval"/> without such a request.</returns>
    private async Task<bool> WaitForConfirmRequestAsync(CancellationToken stoppingToken)
    {
        using var interval = new CancellationTokenSource(_options.KeepAliveInterval, _timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
        try
        {
            await _confirmRequests.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// A round trip on the subscription connection while it is up: a heartbeat for the health check. A failed ping
    /// reports nothing; the connection events report the outage, and a silent notifier shows as degraded.
    /// </summary>
    private async Task KeepAliveAsync(ISubscriber subscriber, CancellationToken stoppingToken)
    {
        if (Volatile.Read(ref _subscriptionDown) == 1)
        {
            return;
        }

        try
        {
            await subscriber.PingAsync().WaitAsync(_options.KeepAliveInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
            if (Volatile.Read(ref _subscriptionDown) == 0)
            {
                _receiver.Heartbeat(Name);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
        }
    }

    /// <summary>Publishes a probe token until it comes back on the channel: then the subscription is in place.</summary>
    private async Task ConfirmSubscriptionAsync(ISubscriber subscriber, CancellationToken stoppingToken)
    {
        var probe = new ProbeWait(ProbePrefix + Guid.NewGuid().ToString("N"));
        _probe = probe;
        try
        {
            while (true)
            {
                try
                {
                    await subscriber.PublishAsync(_channel, probe.Token).WaitAsync(_options.RetryInterval, _timeProvider, stoppingToken)
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Not connected yet: try again below.
                }

                try
                {
                    await probe.Returned.Task.WaitAsync(_options.RetryInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                    return;
                }
                catch (TimeoutException)
                {
                }
            }
        }
        finally
        {
            _probe = null;
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var payload = (string?)message;
        if (payload is null)
        {
            return;
        }

        if (payload.StartsWith(ProbePrefix, StringComparison.Ordinal))
        {
            if (_probe is { } probe && string.Equals(probe.Token, payload, StringComparison.Ordinal))
            {
                probe.Returned.TrySetResult();
            }

            return; // another node's probe, or an old one of ours
        }

        _receiver.KeyChanged(Name, payload);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // StackExchange.Redis reports every failed reconnect attempt: one report per outage.
        if (e.ConnectionType == ConnectionType.Subscription && Interlocked.Exchange(ref _subscriptionDown, 1) == 0)
        {
            _receiver.Disconnected(Name, e.Exception);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _confirmRequests.Writer.TryWrite(true);
        }
    }

    private sealed class ProbeWait(string token)
    {
        public string Token { get; } = token;

        public TaskCompletionSource Returned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Collections.Concurrent;

namespace P2P.ApiKeys.ChangeNotifications;

/// <summary>
/// What each change notifier last reported through <see cref="IApiKeyChangeReceiver"/>: connected or not
/// since when, and when it last proved that it listens (a connection, a change, a heartbeat). Read by the
/// notifier health check; written only on those reports, never per request.
/// </summary>
internal sealed class ApiKeyChangeNotifierStatus(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, NotifierState> _states = new(StringComparer.Ordinal);

    public void Connected(string notifier)
    {
        var now = timeProvider.GetUtcNow();
        _states[notifier] = new NotifierState(notifier, Connected: true, Since: now, LastHeardAt: now, FailureType: null);
    }

    public void Disconnected(string notifier, Exception? failure)
    {
        var now = timeProvider.GetUtcNow();
        _states.AddOrUpdate(
            notifier,
            static (name, arg) => new NotifierState(name, false, arg.now, null, arg.failure),
            static (_, old, arg) => old with { Connected = false, Since = old.Connected ? arg.now : old.Since, FailureType = arg.failure ?? old.FailureType },
            (now, failure: failure?.GetType().Name));
    }

    /// <summary>The notifier heard from its channel: a change arrived or a keep-alive round trip worked.</summary>
    public void HeardFrom(string notifier)
    {
        var now = timeProvider.GetUtcNow();
        _states.AddOrUpdate(
            notifier,
            static (name, now) => new NotifierState(name, true, now, now, null),
            static (_, old, now) => old with { LastHeardAt = now },
            now);
    }

    public IReadOnlyCollection<NotifierState> Snapshot() => [.. _states.Values];

    /// <summary>One notifier's last report. <paramref name="FailureType"/> is an exception type name, never a message (it may hold a host name or worse).</summary>
    internal sealed record NotifierState(string Name, bool Connected, DateTimeOffset Since, DateTimeOffset? LastHeardAt, string? FailureType);
}

namespace P2P.ApiKeys.EFCore;

/// <summary>Settings of the change notifier that polls the change-feed table <c>p2p_api_key_changes</c>.</summary>
public sealed class PollingChangeNotificationOptions
{
    /// <summary>How often each node reads the change feed: the bound on how late it learns of a change.</summary>
    /// <remarks>Defaults to 1 second. Each poll is one indexed query per node.</remarks>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back each poll reads besides the rows it has not seen yet, so that a change committed after a later
    /// one (database-generated ids are not committed in order) is still read. The nodes' clocks must agree within it.
    /// </summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a row stays in the change feed; each node deletes older rows once in a while.</summary>
    /// <remarks>Defaults to 1 hour. Must be longer than <see cref="Lookback"/> and <see cref="PollInterval"/>.</remarks>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);
}

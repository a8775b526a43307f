namespace P2P.ApiKeys.Events;

/// <summary>How key events are dispatched: the outbox poll, the webhook endpoints and the retry schedule.</summary>
public sealed class ApiKeyEventOptions
{
    /// <summary>The name of the <see cref="HttpClient"/> webhooks are sent with (a standard resilience handler on it).</summary>
    public const string HttpClientName = "P2P.ApiKeys.Webhooks";

    /// <summary>The webhook receivers (from configuration: <c>Webhooks:Endpoints</c>).</summary>
    public IList<ApiKeyWebhookEndpoint> Endpoints { get; } = [];

    /// <summary>The retry schedule (from configuration: <c>Webhooks:Retry</c>).</summary>
    public ApiKeyEventRetryOptions Retry { get; } = new();

    /// <summary>How often each node looks for due events.</summary>
    /// <remarks>Defaults to 250 milliseconds.</remarks>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many events a node claims at once.</summary>
    /// <remarks>Defaults to 50.</remarks>
    public int BatchSize { get; set; } = 50;

    /// <summary>How long a claim lasts: a node that dies mid-delivery leaves its events to another after this time.</summary>
    /// <remarks>Defaults to 1 minute; longer than a delivery to every endpoint takes.</remarks>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long before a key's expiry <c>api_key.expiring</c> is sent, once per lead time (a key found inside several
    /// windows at once, say created 3 days before its expiry, gets only the shortest one that applies). Empty: never.
    /// </summary>
    /// <remarks>Defaults to 30, 7 and 1 days.</remarks>
    public IList<TimeSpan> ExpiringLeadTimes { get; } = [TimeSpan.FromDays(30), TimeSpan.FromDays(7), TimeSpan.FromDays(1)];

    /// <summary>The fractions of a key's quota at which <c>api_key.quota_threshold</c> is sent, once per lineage and period.</summary>
    /// <remarks>Defaults to 0.8 and 1.0.</remarks>
    public IList<double> QuotaThresholds { get; } = [0.8, 1.0];

    /// <summary>How often each node scans for keys entering a lead time.</summary>
    /// <remarks>Defaults to 1 minute.</remarks>
    public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long delivered and failed events stay in the outbox; then the dispatcher deletes them in batches.</summary>
    /// <remarks>Defaults to 7 days. <see cref="Timeout.InfiniteTimeSpan"/>: keep them.</remarks>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each node deletes the events past <see cref="Retention"/>.</summary>
    /// <remarks>Defaults to 1 hour.</remarks>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>This node's name in the outbox leases.</summary>
    /// <remarks>Defaults to the machine name, process id and a random suffix.</remarks>
    public string NodeName { get; set; } = DefaultNodeName();

    private static string DefaultNodeName()
    {
        var machine = Environment.MachineName;
        return $"{(machine.Length > 64 ? machine[..64] : machine)}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }
}

/// <summary>Exponential back-off for events that could not be delivered.</summary>
public sealed class ApiKeyEventRetryOptions
{
    /// <summary>The delay before the second attempt; each further one doubles it.</summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay between two attempts.</summary>
    /// <remarks>Defaults to 1 hour.</remarks>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after the change attempts go on; then the event is marked failed (metric, log).</summary>
    /// <remarks>Defaults to 24 hours.</remarks>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
}

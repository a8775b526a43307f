namespace P2P.ApiKeys.Stores;

/// <summary>
/// One event in the outbox: written in the same transaction as the key change it tells of, then delivered (webhooks,
/// in-process handlers) by a dispatcher on any node. Its <see cref="Data"/> holds the key's public data and the actor,
/// never the key or its hash.
/// </summary>
public sealed class ApiKeyEventRecord
{
    /// <summary>Longest event type stored.</summary>
    public const int MaxTypeLength = 64;

    /// <summary>Longest lease owner (node name) stored.</summary>
    public const int MaxOwnerLength = 128;

    /// <summary>The event's id; the <c>webhook-id</c> of every delivery attempt is made from it. Version 7: sorts by time.</summary>
    public Guid Id { get; set; }

    /// <summary>The event type, for example <c>api_key.created</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>When the change happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The key the event is about.</summary>
    public Guid KeyId { get; set; }

    /// <summary>The event's <c>data</c> object, as JSON.</summary>
    public string Data { get; set; } = "{}";

    /// <summary>Delivery attempts made so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Not to be claimed before this time (the next retry).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While in the future, the node named <see cref="LeaseOwner"/> is delivering the event and no other may claim it.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The node that holds the lease.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When every delivery succeeded; <see langword="null"/> while pending.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>When the dispatcher gave up (retries ran out); <see langword="null"/> otherwise.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>A copy.</summary>
    /// <returns>A new record with the same values.</returns>
    public ApiKeyEventRecord Clone() => (ApiKeyEventRecord)MemberwiseClone();
}

using System.Text.Json;

namespace P2P.ApiKeys.Events;

/// <summary>
/// A key event as handlers and webhook receivers see it: the body of a webhook is <c>{"type", "timestamp", "data"}</c>,
/// and <see cref="Id"/> is its <c>webhook-id</c>.
/// </summary>
public sealed class ApiKeyEvent
{
    /// <summary>The event's id (<c>evt_</c> and 32 hex digits), the same on every delivery attempt: deduplicate on it.</summary>
    public required string Id { get; init; }

    /// <summary>The type, one of <see cref="Management.ApiKeyEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>When the change happened.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The key the event is about.</summary>
    public required Guid KeyId { get; init; }

    /// <summary>
    /// The <c>data</c> object: <c>id</c>, <c>lineage_id</c>, <c>lookup_id</c>, <c>name</c>, <c>owner</c>, <c>scopes</c>,
    /// <c>expires_at</c>, <c>metadata</c>, <c>enabled</c>, <c>revoked_at</c>, <c>actor</c> (<c>kind</c>, <c>name</c>), and
    /// <c>replaced_by</c> for a rotation. Never the key or its hash.
    /// </summary>
    public required JsonElement Data { get; init; }
}

using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// For a rotated key: whether its clients have switched to the replacement. Counts come from the usage history, per
/// hour, since the hour of the rotation.
/// </summary>
public sealed class RotationWatch
{
    /// <summary>The replacement's id.</summary>
    [JsonPropertyName("replaced_by")]
    public Guid ReplacedBy { get; init; }

    /// <summary>When the key was rotated (its replacement was made).</summary>
    [JsonPropertyName("rotated_at")]
    public DateTimeOffset RotatedAt { get; init; }

    /// <summary>When the old key stops (stopped) working.</summary>
    [JsonPropertyName("grace_ends_at")]
    public DateTimeOffset? GraceEndsAt { get; init; }

    /// <summary>Requests that presented the old key since the rotation, whatever their outcome.</summary>
    [JsonPropertyName("requests_since_rotation")]
    public long RequestsSinceRotation { get; init; }

    /// <summary>Of those, the ones refused because the grace period had ended: clients that never switched.</summary>
    [JsonPropertyName("refused_since_rotation")]
    public long RefusedSinceRotation { get; init; }

    /// <summary>Distinct client addresses that presented the old key since the rotation (estimated).</summary>
    [JsonPropertyName("clients_since_rotation")]
    public long ClientsSinceRotation { get; init; }

    /// <summary>When the old key was last used successfully, as far as recorded.</summary>
    [JsonPropertyName("last_used_at")]
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>Whether the old key is still used in the last 10 % of its grace period, or still tried after it (<c>api_key.rotation_stalled</c>).</summary>
    [JsonPropertyName("stalled")]
    public bool Stalled { get; init; }
}

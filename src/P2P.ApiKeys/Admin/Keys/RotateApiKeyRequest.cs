using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>Body of <c>POST /admin/keys/{id}/rotate</c>; optional.</summary>
public sealed class RotateApiKeyRequest
{
    /// <summary>
    /// How long the old key keeps working after the rotation, in seconds, so that its clients can switch (for example
    /// 3600); absent or 0 revokes it at once. At most the host's maximum, and never past the old key's own expiry.
    /// </summary>
    [JsonPropertyName("grace_period_seconds")]
    public long? GracePeriodSeconds { get; init; }
}

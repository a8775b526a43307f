namespace P2P.ApiKeys;

/// <summary>What <see cref="IApiKeyManager.UpdateAsync"/> changes; a <see langword="null"/> property is left as it is.</summary>
public sealed class ApiKeyUpdateRequest
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>The new scopes (replacing the old ones).</summary>
    public IReadOnlyCollection<string>? Scopes { get; init; }

    /// <summary>A new expiry, in the future.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The new metadata (replacing the old map; empty clears it).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary><see langword="true"/> to enable a disabled key, <see langword="false"/> to disable an enabled one.</summary>
    public bool? Enabled { get; init; }
}

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// A limiter's answer for a key whose owner has a budget too: the key's (lineage's) status and the owner's. The request
/// is admitted only if it fits both; a refusal by either is counted in neither.
/// </summary>
public readonly struct ApiKeyBudgetStatus : IEquatable<ApiKeyBudgetStatus>
{
    /// <summary>Creates a status.</summary>
    /// <param name="key">The status of the key's own budget (its lineage).</param>
    /// <param name="owner">The status of the owner's budget; <see langword="default"/> when the owner has no limits.</param>
    public ApiKeyBudgetStatus(ApiKeyLimitStatus key, ApiKeyLimitStatus owner)
    {
        Key = key;
        Owner = owner;
    }

    /// <summary>The status of the key's own budget. Its <see cref="ApiKeyLimitStatus.RejectedBy"/> names the key's limit that refused, if one did.</summary>
    public ApiKeyLimitStatus Key { get; }

    /// <summary>The status of the owner's budget. Its <see cref="ApiKeyLimitStatus.RejectedBy"/> names the owner's limit that refused, if one did.</summary>
    public ApiKeyLimitStatus Owner { get; }

    /// <summary>Whether the request was admitted (and counted in both budgets).</summary>
    public bool IsAllowed => Key.IsAllowed && Owner.IsAllowed;

    /// <inheritdoc/>
    public bool Equals(ApiKeyBudgetStatus other) => Key == other.Key && Owner == other.Owner;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ApiKeyBudgetStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Key, Owner);

    /// <summary>Compares two statuses.</summary>
    public static bool operator ==(ApiKeyBudgetStatus left, ApiKeyBudgetStatus right) => left.Equals(right);

    /// <summary>Compares two statuses.</summary>
    public static bool operator !=(ApiKeyBudgetStatus left, ApiKeyBudgetStatus right) => !left.Equals(right);
}

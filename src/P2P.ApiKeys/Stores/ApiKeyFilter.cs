namespace P2P.ApiKeys.Stores;

/// <summary>Which keys <see cref="IApiKeyStore.ListAsync"/> and <see cref="IApiKeyStore.CountAsync"/> see.</summary>
public sealed class ApiKeyFilter
{
    /// <summary>Every key, revoked and expired ones included.</summary>
    public static ApiKeyFilter All { get; } = new();

    /// <summary>Only keys of this owner (ordinal), or every owner when <see langword="null"/>.</summary>
    public string? Owner { get; init; }

    /// <summary>Only keys in this state at <see cref="AsOf"/>, or every state when <see langword="null"/>.</summary>
    public ApiKeyState? State { get; init; }

    /// <summary>The instant <see cref="State"/> is judged at.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>Only keys with an expiry at or before this time, or every key when <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresBefore { get; init; }

    /// <summary>Whether <paramref name="key"/> passes the filter; what every store must return.</summary>
    public bool Matches(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Owner is not null && !string.Equals(key.Owner, Owner, StringComparison.Ordinal))
        {
            return false;
        }

        if (ExpiresBefore is { } before && (key.ExpiresAt is not { } expires || expires > before))
        {
            return false;
        }

        return State switch
        {
            null => true,
            ApiKeyState.Active => !key.IsRevokedAt(AsOf) && !key.IsExpiredAt(AsOf),
            ApiKeyState.Revoked => key.IsRevokedAt(AsOf),
            ApiKeyState.Expired => !key.IsRevokedAt(AsOf) && key.IsExpiredAt(AsOf),
            _ => false,
        };
    }
}

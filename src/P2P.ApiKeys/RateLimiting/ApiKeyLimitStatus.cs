namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// A limiter's answer for one key: whether the request was admitted and, for each limit the key has, how much
/// of the current window or period is used and when it resets.
/// </summary>
public readonly struct ApiKeyLimitStatus : IEquatable<ApiKeyLimitStatus>
{
    /// <summary>Creates a status.</summary>
    /// <param name="rejectedBy">The limit that refused the request, or <see cref="ApiKeyLimitKind.None"/>.</param>
    /// <param name="rateLimitUsed">Cost units counted in the current rate-limit window, this request included if admitted.</param>
    /// <param name="rateLimitReset">Time until the current rate-limit window ends.</param>
    /// <param name="quotaUsed">Cost units counted in the current quota period, this request included if admitted.</param>
    /// <param name="quotaReset">Time until the current quota period ends.</param>
    public ApiKeyLimitStatus(ApiKeyLimitKind rejectedBy, long rateLimitUsed, TimeSpan rateLimitReset, long quotaUsed, TimeSpan quotaReset)
    {
        RejectedBy = rejectedBy;
        RateLimitUsed = rateLimitUsed;
        RateLimitReset = rateLimitReset;
        QuotaUsed = quotaUsed;
        QuotaReset = quotaReset;
    }

    /// <summary>Whether the request was admitted (and counted).</summary>
    public bool IsAllowed => RejectedBy == ApiKeyLimitKind.None;

    /// <summary>The limit that refused the request, or <see cref="ApiKeyLimitKind.None"/>.</summary>
    public ApiKeyLimitKind RejectedBy { get; }

    /// <summary>Cost units counted in the current rate-limit window; 0 without a rate limit.</summary>
    public long RateLimitUsed { get; }

    /// <summary>Time until the current rate-limit window ends; zero without a rate limit.</summary>
    public TimeSpan RateLimitReset { get; }

    /// <summary>Cost units counted in the current quota period; 0 without a quota.</summary>
    public long QuotaUsed { get; }

    /// <summary>Time until the current quota period ends; zero without a quota.</summary>
    public TimeSpan QuotaReset { get; }

    /// <inheritdoc/>
    public bool Equals(ApiKeyLimitStatus other) =>
        RejectedBy == other.RejectedBy && RateLimitUsed == other.RateLimitUsed && RateLimitReset == other.RateLimitReset
        && QuotaUsed == other.QuotaUsed && QuotaReset == other.QuotaReset;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ApiKeyLimitStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RejectedBy, RateLimitUsed, RateLimitReset, QuotaUsed, QuotaReset);

    /// <summary>Compares two statuses.</summary>
    public static bool operator ==(ApiKeyLimitStatus left, ApiKeyLimitStatus right) => left.Equals(right);

    /// <summary>Compares two statuses.</summary>
    public static bool operator !=(ApiKeyLimitStatus left, ApiKeyLimitStatus right) => !left.Equals(right);
}

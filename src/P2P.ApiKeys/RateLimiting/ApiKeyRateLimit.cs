namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// At most <see cref="Limit"/> requests (or request cost units) per <see cref="Window"/>. Windows are fixed and
/// aligned to the Unix epoch, so every node (and Redis) agrees on where a window starts.
/// </summary>
public sealed class ApiKeyRateLimit : IEquatable<ApiKeyRateLimit>
{
    /// <summary>Largest limit accepted.</summary>
    public const long MaxLimit = 1_000_000_000;

    /// <summary>Longest window accepted, in seconds (one day).</summary>
    public const int MaxWindowSeconds = 86_400;

    /// <summary>Creates a rate limit.</summary>
    /// <param name="limit">Requests allowed per window: 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="window">The window: whole seconds, 1 s to <see cref="MaxWindowSeconds"/> s.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ApiKeyRateLimit(long limit, TimeSpan window)
    {
        if (!IsValid(limit, window))
        {
            throw new ArgumentOutOfRangeException(
                limit is < 1 or > MaxLimit ? nameof(limit) : nameof(window),
                $"A rate limit is 1 to {MaxLimit} requests per 1 to {MaxWindowSeconds} whole seconds.");
        }

        Limit = limit;
        Window = window;
    }

    /// <summary>Requests (cost units) allowed per window.</summary>
    public long Limit { get; }

    /// <summary>The length of a window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Whether <paramref name="limit"/> and <paramref name="window"/> make a valid rate limit.</summary>
    public static bool IsValid(long limit, TimeSpan window) =>
        limit is >= 1 and <= MaxLimit
        && window >= TimeSpan.FromSeconds(1) && window <= TimeSpan.FromSeconds(MaxWindowSeconds)
        && window.Ticks % TimeSpan.TicksPerSecond == 0;

    /// <inheritdoc/>
    public bool Equals(ApiKeyRateLimit? other) => other is not null && other.Limit == Limit && other.Window == Window;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ApiKeyRateLimit);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Limit, Window);

    /// <inheritdoc/>
    public override string ToString() => $"{Limit}/{(long)Window.TotalSeconds}s";
}

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// At most <see cref="Limit"/> requests (or request cost units) per <see cref="Window"/>. With
/// <see cref="ApiKeyRateLimitAlgorithm.FixedWindow"/> (the default) windows are fixed and aligned to the Unix epoch, so
/// every node (and Redis) agrees on where a window starts; with <see cref="ApiKeyRateLimitAlgorithm.Gcra"/> requests
/// flow at <see cref="Limit"/> per <see cref="Window"/> with bursts of up to <see cref="Burst"/>: in every interval of
/// length t at most <c>Burst + floor(t × Limit / Window)</c> are admitted.
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
        Burst = limit;
    }

    /// <summary>Creates a rate limit with an algorithm.</summary>
    /// <param name="limit">Requests allowed per window (the sustained rate for GCRA): 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="window">The window: whole seconds, 1 s to <see cref="MaxWindowSeconds"/> s.</param>
    /// <param name="algorithm">How the limit is counted.</param>
    /// <param name="burst">
    /// For <see cref="ApiKeyRateLimitAlgorithm.Gcra"/>, the requests admitted at once after a quiet period: 1 to
    /// <see cref="MaxLimit"/>, with <c>burst × window in ms + limit</c> at most 2^53 (exact in Redis's Lua numbers);
    /// <see langword="null"/> for <paramref name="limit"/>. Must be <see langword="null"/> or <paramref name="limit"/> for a fixed window.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ApiKeyRateLimit(long limit, TimeSpan window, ApiKeyRateLimitAlgorithm algorithm, long? burst = null)
        : this(limit, window)
    {
        if (!IsValid(limit, window, algorithm, burst))
        {
            throw new ArgumentOutOfRangeException(
                burst is null ? nameof(algorithm) : nameof(burst),
                "A GCRA burst is 1 to " + MaxLimit + " (burst × window in ms + limit at most 2^53); a fixed window has no burst of its own.");
        }

        Algorithm = algorithm;
        Burst = burst ?? limit;
    }

    /// <summary>The largest <c>burst × window in ms + limit</c> of a GCRA limit: 2^53, exact in a double.</summary>
    public const long MaxGcraScaledCapacity = 1L << 53;

    /// <summary>How the limit is counted.</summary>
    public ApiKeyRateLimitAlgorithm Algorithm { get; }

    /// <summary>
    /// The most requests (cost units) available at once: for GCRA its burst, for a fixed window the <see cref="Limit"/>.
    /// What the <c>RateLimit</c> field's <c>r</c> counts down from.
    /// </summary>
    public long Burst { get; }

    /// <summary>Whether the parts make a valid rate limit, algorithm and burst included.</summary>
    public static bool IsValid(long limit, TimeSpan window, ApiKeyRateLimitAlgorithm algorithm, long? burst) =>
        IsValid(limit, window) && algorithm switch
        {
            ApiKeyRateLimitAlgorithm.FixedWindow => burst is null || burst == limit,
            ApiKeyRateLimitAlgorithm.Gcra => (burst ?? limit) is >= 1 and <= MaxLimit
                && (decimal)(burst ?? limit) * (decimal)window.TotalMilliseconds + limit <= MaxGcraScaledCapacity,
            _ => false,
        };

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
    public bool Equals(ApiKeyRateLimit? other) =>
        other is not null && other.Limit == Limit && other.Window == Window && other.Algorithm == Algorithm && other.Burst == Burst;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ApiKeyRateLimit);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Limit, Window, Algorithm, Burst);

    /// <inheritdoc/>
    public override string ToString() =>
        Algorithm == ApiKeyRateLimitAlgorithm.Gcra ? $"{Limit}/{(long)Window.TotalSeconds}s gcra burst {Burst}" : $"{Limit}/{(long)Window.TotalSeconds}s";
}

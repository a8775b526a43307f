namespace P2P.ApiKeys.RateLimiting;

/// <summary>Host-wide settings of per-key rate limits and quotas, and of the per-client limit on store lookups.</summary>
public sealed class ApiKeyRateLimitOptions
{
    /// <summary>The service key under which the in-process limiter stays registered when another one replaces it.</summary>
    public const string LocalLimiterServiceKey = "P2P.ApiKeys.LocalLimiter";

    /// <summary>The rate limit of keys that have none of their own.</summary>
    /// <remarks>Defaults to <see langword="null"/>: such keys are not rate limited.</remarks>
    public ApiKeyRateLimit? DefaultRateLimit { get; set; }

    /// <summary>The quota of keys that have none of their own.</summary>
    /// <remarks>Defaults to <see langword="null"/>: such keys have no quota.</remarks>
    public ApiKeyQuota? DefaultQuota { get; set; }

    /// <summary>
    /// How many store lookups one client address may cause per window. A presented key that is well formed but
    /// not in the verification cache (an unknown key, or a known key after its cache entry expired) costs one
    /// lookup, reserved before the store is asked; beyond the limit the request gets 429 without a lookup. Keys
    /// served from the cache never count, so a client with a real key is not slowed by another client's flood
    /// of random keys. IPv6 clients are grouped by /64.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/> (no limit).</remarks>
    public ApiKeyRateLimit? ClientLookupLimit { get; set; }

    /// <summary>
    /// Most client addresses tracked by <see cref="ClientLookupLimit"/> at once. Beyond it, new addresses share one
    /// budget until idle addresses are swept, so a flood from many addresses cannot grow memory without bound.
    /// </summary>
    /// <remarks>Defaults to 100,000.</remarks>
    public int MaxTrackedClients { get; set; } = 100_000;

    /// <summary>
    /// Writes the answer when a key's rate limit or quota refuses a request, instead of the library's problem+json body
    /// (as <c>RateLimiterOptions.OnRejected</c>). The status (429), <c>Retry-After</c> and the <c>RateLimit</c> fields are
    /// set before it runs; never echo the key.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/>: a 429 problem+json of type <c>quota-exceeded</c> (draft-ietf-httpapi-ratelimit-headers-11) with <c>violated-policies</c> and <c>retry_after</c>.</remarks>
    public Func<ApiKeyRateLimitRejectedContext, CancellationToken, ValueTask>? OnRejected { get; set; }

    /// <summary>
    /// How often the in-process limiter writes changed quota counts to the <see cref="IApiKeyQuotaCountStore"/> (the
    /// Entity Framework Core stores are one), so a crash loses at most this much counting; a graceful stop writes them
    /// all. Not used with the Redis limiter, whose counts live in Redis.
    /// </summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan QuotaFlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}

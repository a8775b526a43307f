using P2P.ApiKeys.Management;
namespace P2P.ApiKeys;

/// <summary>
/// Library-wide settings: key format, hashing, verification cache and key defaults. The clock is the
/// <see cref="TimeProvider"/> registered in DI (<see cref="TimeProvider.System"/> unless the host registers another),
/// for the whole library, as in ASP.NET Core.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>
    /// The prefix every key starts with, before the first underscore: 1 to 16 lower-case ASCII letters or
    /// digits.
    /// </summary>
    /// <remarks>Defaults to <c>p2p</c>.</remarks>
    public string KeyPrefix { get; set; } = "p2p";

    /// <summary>
    /// An optional server-side secret mixed into the stored hashes (HMAC-SHA256 instead of SHA-256), so that
    /// a copy of the database alone cannot confirm a guessed key. At least 32 characters when set. Changing
    /// it invalidates every existing key.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/> (plain SHA-256).</remarks>
    public string? Pepper { get; set; }

    /// <summary>Scopes given to a key created without any, so that the seed's name-only request yields a usable key.</summary>
    /// <remarks>Defaults to none.</remarks>
    public IList<string> DefaultScopes { get; } = [];

    /// <summary>
    /// The scopes this host knows. When any are listed, <see cref="IApiKeyManager"/> refuses a key with another scope
    /// (and says which scopes are known); when empty, any well-formed scope is accepted.
    /// </summary>
    /// <remarks>Defaults to none (any scope).</remarks>
    public IList<string> KnownScopes { get; } = [];

    /// <summary>
    /// How long a verified key is served from the in-memory cache before the store is asked again. This is
    /// the bound within which other nodes see a revocation when no change notifier is configured.
    /// </summary>
    /// <remarks>Defaults to 5 seconds. <see cref="TimeSpan.Zero"/> disables the cache.</remarks>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most keys held in the verification cache.</summary>
    /// <remarks>Defaults to 10,000.</remarks>
    public int CacheSizeLimit { get; set; } = 10_000;

    /// <summary>How often last-used times are written to the store (at most one write per key per interval).</summary>
    /// <remarks>Defaults to 60 seconds. Last-used times are precise to one second.</remarks>
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest page size list endpoints accept.</summary>
    /// <remarks>Defaults to 100.</remarks>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// Query parameters whose values are credentials. Before the host creates the request's context (and so
    /// before any log line, the hosting diagnostics' included), their values are replaced by
    /// <c>redacted</c>; the API-key scheme's <c>QueryParameterName</c> is always added. Compared without
    /// regard to case. Code that needs an original value reads <c>HttpRequest.GetUnredactedQuery()</c>.
    /// </summary>
    /// <remarks>
    /// Defaults to <c>api_key</c>, <c>apikey</c>, <c>api-key</c>, <c>x-api-key</c>, <c>key</c>, <c>access_token</c>,
    /// <c>id_token</c>, <c>refresh_token</c>, <c>token</c>, <c>password</c>, <c>passwd</c>, <c>pwd</c>,
    /// <c>secret</c> and <c>client_secret</c>.
    /// </remarks>
    public ISet<string> RedactedQueryParameters { get; } = new HashSet<string>(
        ["api_key", "apikey", "api-key", "x-api-key", "key", "access_token", "id_token", "refresh_token", "token", "password", "passwd", "pwd",
            "secret", "client_secret"],
        StringComparer.OrdinalIgnoreCase);
}

namespace P2P.ApiKeys;

/// <summary>Settings of the admin endpoints: token signing and lifetime, password rules, login throttling.</summary>
/// <remarks>
/// The admin endpoints read the clock from the <see cref="System.TimeProvider"/> registered in DI, so the whole
/// library runs on one clock.
/// </remarks>
public sealed class AdminOptions
{
    /// <summary>Fewest bytes the signing key may have: 32 bytes, 256 bits (RFC 7518 §3.2 for HS256).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>Fewest PBKDF2 iterations accepted for admin password hashes (OWASP: PBKDF2-HMAC-SHA512).</summary>
    public const int MinPasswordHashIterations = 220_000;

    /// <summary>
    /// The HS256 key that signs admin tokens, at least 256 bits. A base64 string (for example from
    /// <c>openssl rand -base64 32</c>) that decodes to at least 32 bytes is used decoded; any other string is
    /// used as its UTF-8 bytes and must then be at least 32 bytes long. Keep it out of source control.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>. In the Development environment a missing or short key is replaced by
    /// a random key for the life of the process (tokens do not survive a restart) and a warning is logged; in any
    /// other environment start-up fails with an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
    /// </remarks>
    public string? SigningKey { get; set; }

    /// <summary>The <c>iss</c> of issued tokens; validation accepts this issuer only.</summary>
    /// <remarks>Defaults to <c>P2P.ApiKeys</c>.</remarks>
    public string Issuer { get; set; } = "P2P.ApiKeys";

    /// <summary>The <c>aud</c> of issued tokens; validation accepts this audience only.</summary>
    /// <remarks>Defaults to <c>P2P.ApiKeys.Admin</c>.</remarks>
    public string Audience { get; set; } = "P2P.ApiKeys.Admin";

    /// <summary>How long an admin token is valid: between 1 minute and 24 hours.</summary>
    /// <remarks>Defaults to 15 minutes.</remarks>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Clock skew tolerated when validating token lifetimes: at most 30 seconds.</summary>
    /// <remarks>Defaults to 30 seconds (the JWT bearer default of 5 minutes is far too lenient).</remarks>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shortest admin password accepted: at least 8 (NIST SP 800-63B); 15 is recommended.</summary>
    /// <remarks>Defaults to 8.</remarks>
    public int MinPasswordLength { get; set; } = 8;

    /// <summary>Longest admin password accepted, so that hashing cost stays bounded; never truncated.</summary>
    /// <remarks>Defaults to 128.</remarks>
    public int MaxPasswordLength { get; set; } = 128;

    /// <summary>PBKDF2-HMAC-SHA512 iterations for new admin password hashes; at least 220,000.</summary>
    /// <remarks>Defaults to 220,000. Hashes made with fewer are upgraded at the next successful login.</remarks>
    public int PasswordHashIterations { get; set; } = MinPasswordHashIterations;

    /// <summary>Consecutive failed logins after which an account is throttled: 1 to 100.</summary>
    /// <remarks>Defaults to 5.</remarks>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>
    /// Delay imposed when an account reaches <see cref="LockoutThreshold"/>; it doubles with each further
    /// failure, up to <see cref="LockoutMaxDelay"/>.
    /// </summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan LockoutBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest per-account delay after repeated failed logins.</summary>
    /// <remarks>Defaults to 15 minutes.</remarks>
    public TimeSpan LockoutMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests to the token endpoint allowed per client IP address in each <see cref="TokenEndpointWindow"/>.</summary>
    /// <remarks>Defaults to 10.</remarks>
    public int TokenEndpointPermitLimit { get; set; } = 10;

    /// <summary>The fixed window of the per-client rate limit on the token endpoint.</summary>
    /// <remarks>Defaults to 1 minute.</remarks>
    public TimeSpan TokenEndpointWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest request body the admin endpoints read; larger ones get 413.</summary>
    /// <remarks>Defaults to 16 KiB.</remarks>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Longest grace period an admin may give the old key when rotating.</summary>
    /// <remarks>Defaults to 7 days.</remarks>
    public TimeSpan MaxRotationGracePeriod { get; set; } = TimeSpan.FromDays(7);
}

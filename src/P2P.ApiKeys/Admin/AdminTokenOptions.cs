namespace P2P.ApiKeys.Admin;

/// <summary>Admin tokens: the HS256 key that signs them, their issuer, audience and lifetime (<see cref="AdminOptions.Token"/>).</summary>
public sealed class AdminTokenOptions
{
    /// <summary>Fewest bytes the signing key may have: 32 bytes, 256 bits (RFC 7518 §3.2 for HS256).</summary>
    public const int MinSigningKeyBytes = 32;

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
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Clock skew tolerated when validating token lifetimes: at most 30 seconds.</summary>
    /// <remarks>Defaults to 30 seconds (the JWT bearer default of 5 minutes is far too lenient).</remarks>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}

namespace P2P.ApiKeys.Admin;

/// <summary>
/// Settings of the admin endpoints, grouped as <c>IdentityOptions</c> groups Identity's: <see cref="Token"/> (signing and
/// lifetime of admin tokens), <see cref="Password"/>, <see cref="Lockout"/> and <see cref="Endpoints"/> (request limits).
/// Bound from a configuration section with the same names (<c>Admin:Token:SigningKey</c>, <c>Admin:Lockout:Threshold</c> …)
/// by <c>AddAdminEndpoints(IConfigurationSection)</c>, and validated at start-up.
/// </summary>
/// <remarks>
/// The admin endpoints read the clock from the <see cref="System.TimeProvider"/> registered in DI, so the whole
/// library runs on one clock.
/// </remarks>
public sealed class AdminOptions
{
    /// <summary>Signing key, issuer, audience, lifetime and clock skew of admin tokens.</summary>
    public AdminTokenOptions Token { get; init; } = new();

    /// <summary>Length rules and hashing cost of admin passwords.</summary>
    public AdminPasswordOptions Password { get; init; } = new();

    /// <summary>Per-account throttling after failed logins.</summary>
    public AdminLockoutOptions Lockout { get; init; } = new();

    /// <summary>Request limits of the endpoints: body size, the token endpoint's per-client limit, rotation grace.</summary>
    public AdminEndpointOptions Endpoints { get; init; } = new();
}

namespace P2P.ApiKeys.Admin;

/// <summary>Admin passwords: length rules (NIST SP 800-63B) and hashing cost (<see cref="AdminOptions.Password"/>).</summary>
public sealed class AdminPasswordOptions
{
    /// <summary>Fewest PBKDF2 iterations accepted for admin password hashes (OWASP: PBKDF2-HMAC-SHA512).</summary>
    public const int MinHashIterations = 220_000;

    /// <summary>Shortest admin password accepted: at least 8 (NIST SP 800-63B); 15 is recommended.</summary>
    /// <remarks>Defaults to 8.</remarks>
    public int MinLength { get; set; } = 8;

    /// <summary>Longest admin password accepted, so that hashing cost stays bounded; never truncated.</summary>
    /// <remarks>Defaults to 128.</remarks>
    public int MaxLength { get; set; } = 128;

    /// <summary>PBKDF2-HMAC-SHA512 iterations for new admin password hashes; at least 220,000.</summary>
    /// <remarks>Defaults to 220,000. Hashes made with fewer are upgraded at the next successful login.</remarks>
    public int HashIterations { get; set; } = MinHashIterations;
}

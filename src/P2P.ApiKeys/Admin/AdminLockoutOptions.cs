namespace P2P.ApiKeys.Admin;

/// <summary>Per-account throttling after failed password checks (<see cref="AdminOptions.Lockout"/>).</summary>
public sealed class AdminLockoutOptions
{
    /// <summary>Consecutive failed password checks after which an account is throttled: 1 to 100.</summary>
    /// <remarks>Defaults to 5.</remarks>
    public int Threshold { get; set; } = 5;

    /// <summary>
    /// Delay imposed when an account reaches <see cref="Threshold"/>; it doubles with each further failure, up to
    /// <see cref="MaxDelay"/>.
    /// </summary>
    /// <remarks>Defaults to 30 seconds.</remarks>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest per-account delay after repeated failed password checks.</summary>
    /// <remarks>Defaults to 15 minutes.</remarks>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);
}

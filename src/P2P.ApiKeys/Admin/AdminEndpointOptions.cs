namespace P2P.ApiKeys.Admin;

/// <summary>Limits of the admin endpoints' requests (<see cref="AdminOptions.Endpoints"/>).</summary>
public sealed class AdminEndpointOptions
{
    /// <summary>Largest request body the admin endpoints read, 1 KiB to 1 MiB; larger ones get 413.</summary>
    /// <remarks>Defaults to 16 KiB.</remarks>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Requests to the token endpoint allowed per client IP address in each <see cref="TokenWindow"/>.</summary>
    /// <remarks>Defaults to 10.</remarks>
    public int TokenPermitLimit { get; set; } = 10;

    /// <summary>The fixed window of the per-client rate limit on the token endpoint.</summary>
    /// <remarks>Defaults to 1 minute.</remarks>
    public TimeSpan TokenWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest grace period an admin may give the old key when rotating.</summary>
    /// <remarks>Defaults to 7 days.</remarks>
    public TimeSpan MaxRotationGracePeriod { get; set; } = TimeSpan.FromDays(7);
}

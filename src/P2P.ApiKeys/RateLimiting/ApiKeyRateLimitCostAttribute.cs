namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Endpoint metadata: a request to this endpoint counts <see cref="Cost"/> units against the key's rate limit
/// and quota instead of one. Add it with <c>WithApiKeyRateLimitCost(cost)</c> or as an attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class ApiKeyRateLimitCostAttribute : Attribute
{
    /// <summary>Most units one request may cost.</summary>
    public const int MaxCost = 1_000_000;

    /// <summary>Creates the metadata.</summary>
    /// <param name="cost">Units per request: 1 to <see cref="MaxCost"/>.</param>
    public ApiKeyRateLimitCostAttribute(int cost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, MaxCost);
        Cost = cost;
    }

    /// <summary>Units one request to the endpoint costs.</summary>
    public int Cost { get; }
}

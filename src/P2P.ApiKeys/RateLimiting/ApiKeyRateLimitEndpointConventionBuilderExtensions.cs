using P2P.ApiKeys.RateLimiting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Per-endpoint settings of per-key rate limits and quotas.</summary>
public static class ApiKeyRateLimitEndpointConventionBuilderExtensions
{
    /// <summary>Requests to these endpoints are neither limited nor counted by per-key rate limits and quotas.</summary>
    public static TBuilder DisableApiKeyRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new DisableApiKeyRateLimitAttribute());
    }

    /// <summary>A request to these endpoints counts <paramref name="cost"/> units against the key's rate limit and quota.</summary>
    /// <param name="builder">The endpoints.</param>
    /// <param name="cost">Units per request: 1 to <see cref="ApiKeyRateLimitCostAttribute.MaxCost"/>.</param>
    public static TBuilder WithApiKeyRateLimitCost<TBuilder>(this TBuilder builder, int cost)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new ApiKeyRateLimitCostAttribute(cost));
    }
}

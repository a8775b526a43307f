using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys;

/// <summary>Configures per-key rate limits and quotas after <c>AddApiKeyAuth</c>.</summary>
public static class ApiKeyRateLimitAuthBuilderExtensions
{
    /// <summary>
    /// Sets host-wide defaults of per-key limits and the per-client store-lookup limit. Limits are enforced
    /// whether or not this is called: a key's own rate limit and quota always apply.
    /// </summary>
    public static ApiKeyAuthBuilder ConfigureRateLimits(this ApiKeyAuthBuilder builder, Action<ApiKeyRateLimitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}

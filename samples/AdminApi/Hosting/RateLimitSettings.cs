using P2P.ApiKeys.RateLimiting;

namespace AdminApi.Hosting;

/// <summary>Reads a rate limit from configuration: <c>Limit</c> (0 = off) and <c>WindowSeconds</c>.</summary>
internal static class RateLimitSettings
{
    public static ApiKeyRateLimit? Read(IConfigurationSection section, long limit, int windowSeconds)
    {
        var configuredLimit = section.GetValue("Limit", limit);
        var configuredWindow = section.GetValue("WindowSeconds", windowSeconds);
        if (configuredLimit == 0)
        {
            return null;
        }

        if (!ApiKeyRateLimit.IsValid(configuredLimit, TimeSpan.FromSeconds(configuredWindow)))
        {
            throw new InvalidOperationException(
                $"{section.Path}: Limit must be 0 (off) or 1 to {ApiKeyRateLimit.MaxLimit}, WindowSeconds 1 to {ApiKeyRateLimit.MaxWindowSeconds}.");
        }

        return new ApiKeyRateLimit(configuredLimit, TimeSpan.FromSeconds(configuredWindow));
    }
}

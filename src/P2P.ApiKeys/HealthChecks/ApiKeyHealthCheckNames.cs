namespace P2P.ApiKeys.HealthChecks;

/// <summary>The names of the health checks that <c>AddApiKeyHealthChecks</c> adds, as they appear in a health report.</summary>
public static class ApiKeyHealthCheckNames
{
    /// <summary>The key store answers a lookup.</summary>
    public const string Store = "p2p_apikeys_store";

    /// <summary>Every change notifier is connected and heard from recently.</summary>
    public const string ChangeNotifier = "p2p_apikeys_change_notifier";

    /// <summary>The per-key limiter counts where it should (Redis answers, no fallback to local counts).</summary>
    public const string RateLimiter = "p2p_apikeys_rate_limiter";

    /// <summary>The tag every one of these checks carries.</summary>
    public const string Tag = "p2p_apikeys";
}

using System.Diagnostics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.Redis;

/// <summary>
/// The spans of the Redis package on the <c>P2P.ApiKeys</c> activity source: a rate-limit decision in Redis
/// (<c>p2p.api_key.rate_limit</c>) and a (re)connection of the change notifier (<c>p2p.api_key.notifier.connect</c>).
/// Key ids only, never a key.
/// </summary>
internal static class RedisActivity
{
    public const string RateLimit = "p2p.api_key.rate_limit";
    public const string NotifierConnect = "p2p.api_key.notifier.connect";

    private static readonly ActivitySource Source = new(ApiKeyDiagnostics.ActivitySourceName);

    public static Activity? StartRateLimit(Guid keyId)
    {
        var activity = Source.StartActivity(RateLimit, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.operation.name", "EVALSHA");
            activity.SetTag("p2p.api_key.id", keyId.ToString());
        }

        return activity;
    }

    public static Activity? StartNotifierConnect(string notifier)
    {
        var activity = Source.StartActivity(NotifierConnect, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("p2p.api_key.notifier", notifier);
            activity.SetTag("db.system.name", "redis");
        }

        return activity;
    }

    /// <summary>Marks the span failed with the exception's type (never its message).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", exception.GetType().FullName);
        }
    }
}

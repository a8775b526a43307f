using System.Diagnostics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.PostgreSql;

/// <summary>
/// The <c>p2p.api_key.notifier.connect</c> span of the <c>P2P.ApiKeys</c> activity source: one per (re)connection
/// attempt of the listener (open, <c>LISTEN</c>), never per notification or keep-alive.
/// </summary>
internal static class NotifierActivity
{
    private static readonly ActivitySource Source = new(ApiKeyDiagnostics.ActivitySourceName);

    public static Activity? StartConnect(string notifier)
    {
        var activity = Source.StartActivity("p2p.api_key.notifier.connect", ActivityKind.Client);
        activity?.SetTag("p2p.api_key.notifier", notifier);
        activity?.SetTag("db.system.name", "postgresql");
        return activity;
    }

    /// <summary>Ends the span as failed, with the exception's type (never its message).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.Dispose();
    }
}

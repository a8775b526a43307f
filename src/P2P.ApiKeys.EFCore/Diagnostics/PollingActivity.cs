using System.Diagnostics;
using P2P.ApiKeys.Diagnostics;

namespace P2P.ApiKeys.EFCore.ChangeNotifications;

/// <summary>
/// The <c>p2p.api_key.notifier.connect</c> span of the <c>P2P.ApiKeys</c> activity source for the polling notifier:
/// one per (re)start of reading the change feed, never per poll.
/// </summary>
internal static class PollingActivity
{
    private static readonly ActivitySource Source = new(ApiKeyDiagnostics.ActivitySourceName);

    public static Activity? StartConnect(string notifier)
    {
        var activity = Source.StartActivity("p2p.api_key.notifier.connect", ActivityKind.Client);
        activity?.SetTag("p2p.api_key.notifier", notifier);
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

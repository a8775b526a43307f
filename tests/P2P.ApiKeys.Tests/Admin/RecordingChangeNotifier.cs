using System.Collections.Concurrent;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.ChangeNotifications;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>A host-supplied notifier (the documented extension point) that records what it was told.</summary>
internal sealed class RecordingChangeNotifier : IApiKeyChangeNotifier
{
    public ConcurrentQueue<string> Changed { get; } = new();

    public ValueTask KeyChangedAsync(string lookupId, CancellationToken cancellationToken)
    {
        Changed.Enqueue(lookupId);
        return ValueTask.CompletedTask;
    }
}

using System.Collections.Concurrent;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>The default <see cref="IApiKeyOwnerLimitStore"/>: owners' limits in memory, lost on restart.</summary>
internal sealed class InMemoryApiKeyOwnerLimitStore : IApiKeyOwnerLimitStore
{
    private readonly ConcurrentDictionary<string, ApiKeyOwnerLimits> _limits = new(StringComparer.Ordinal);

    public ValueTask<ApiKeyOwnerLimits?> GetAsync(string owner, CancellationToken cancellationToken) =>
        new(_limits.TryGetValue(owner, out var limits) ? limits : null);

    public ValueTask SetAsync(string owner, ApiKeyOwnerLimits? limits, CancellationToken cancellationToken)
    {
        if (limits is null || limits.IsEmpty)
        {
            _limits.TryRemove(owner, out _);
        }
        else
        {
            _limits[owner] = limits;
        }

        return ValueTask.CompletedTask;
    }
}

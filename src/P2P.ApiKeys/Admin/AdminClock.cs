using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Admin;

/// <summary>The library's one clock: <see cref="ApiKeyOptions.TimeProvider"/>, else the one registered in DI.</summary>
internal sealed class AdminClock(IOptions<ApiKeyOptions> options, TimeProvider fallback)
{
    public TimeProvider TimeProvider { get; } = options.Value.TimeProvider ?? fallback;

    public DateTimeOffset UtcNow => TimeProvider.GetUtcNow();
}

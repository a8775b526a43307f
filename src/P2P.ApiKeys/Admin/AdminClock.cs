namespace P2P.ApiKeys.Admin;

/// <summary>The library's one clock: the <see cref="System.TimeProvider"/> registered in DI.</summary>
internal sealed class AdminClock(TimeProvider timeProvider)
{
    public TimeProvider TimeProvider { get; } = timeProvider;

    public DateTimeOffset UtcNow => TimeProvider.GetUtcNow();
}

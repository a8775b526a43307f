using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>What the usage history says about a rotated key since its rotation.</summary>
internal sealed record ApiKeyRotationStatus(
    Guid ReplacedBy, DateTimeOffset RotatedAt, DateTimeOffset? GraceEndsAt, ApiKeyUsageBucket SinceRotation, bool Stalled);

/// <summary>
/// The rotation watch: whether the clients of a rotated key have switched. Reads the old key's hourly buckets since the
/// hour of its rotation (the replacement's creation), and calls the rotation stalled when the old key is still used in
/// the last <see cref="StalledFraction"/> of its grace period, or tried (refused) after it.
/// </summary>
internal sealed class ApiKeyRotationWatch(IApiKeyStore keys, IServiceProvider services, TimeProvider time)
{
    /// <summary>The last tenth of a grace period: a key still used then has a client that has not switched.</summary>
    public const double StalledFraction = 0.1;

    private readonly IApiKeyUsageStore? _usage = services.GetService<IApiKeyUsageStore>();

    /// <summary>When the last tenth of the grace period from <paramref name="rotatedAt"/> to <paramref name="graceEndsAt"/> begins.</summary>
    public static DateTimeOffset StallWindowStart(DateTimeOffset rotatedAt, DateTimeOffset graceEndsAt) =>
        graceEndsAt - ((graceEndsAt - rotatedAt) * StalledFraction);

    /// <summary>When <paramref name="key"/> was rotated: its replacement's creation; <see langword="null"/> if it was not rotated.</summary>
    public async Task<(Guid ReplacedBy, DateTimeOffset RotatedAt)?> RotationOfAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        if (key.ReplacedByKeyId is not { } replacedBy)
        {
            return null;
        }

        var replacement = await keys.FindByIdAsync(replacedBy, cancellationToken).ConfigureAwait(false);
        return (replacedBy, replacement?.CreatedAt ?? key.RevokedAt ?? time.GetUtcNow());
    }

    public async Task<ApiKeyRotationStatus?> ReadAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        if (await RotationOfAsync(key, cancellationToken).ConfigureAwait(false) is not var (replacedBy, rotatedAt))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var from = new DateTimeOffset(rotatedAt.UtcTicks - (rotatedAt.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var buckets = _usage is null || from > now
            ? []
            : await _usage.ListAsync(
                new ApiKeyUsageFilter { KeyId = key.Id, Granularity = ApiKeyUsageGranularity.Hour, From = from, To = now.AddHours(1) },
                cancellationToken).ConfigureAwait(false);
        var since = ApiKeyUsageReader.Sum(rotatedAt, buckets);
        var stalled = since.Refused > 0;
        if (key.RevokedAt is { } graceEndsAt && graceEndsAt > rotatedAt)
        {
            var window = StallWindowStart(rotatedAt, graceEndsAt);
            var windowHour = window.UtcTicks - (window.UtcTicks % TimeSpan.TicksPerHour);
            stalled |= now >= window && buckets.Any(b => b.Start.UtcTicks >= windowHour && b.Allowed + b.RateLimited + b.QuotaExhausted + b.Forbidden > 0);
        }

        return new ApiKeyRotationStatus(replacedBy, rotatedAt, key.RevokedAt, since, stalled);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// <see cref="IApiKeyUsage"/> over <see cref="IApiKeyUsageStore"/>: checks the range (bounded, so that no query reads
/// more than <see cref="ApiKeyUsageHistoryOptions.MaxHourlyRange"/> of hours or <see cref="ApiKeyUsageHistoryOptions.DayRetention"/>
/// of days), then reads the buckets in one store call and sums them. Without a usage store every report is empty.
/// </summary>
internal sealed class ApiKeyUsageReader : IApiKeyUsage
{
    private readonly IApiKeyUsageStore? _store;
    private readonly IApiKeyStore _keys;
    private readonly IOptions<ApiKeyUsageHistoryOptions> _options;
    private readonly TimeProvider _time;

    public ApiKeyUsageReader(IServiceProvider services, IApiKeyStore keys, IOptions<ApiKeyUsageHistoryOptions> options, TimeProvider time)
    {
        _store = services.GetService<IApiKeyUsageStore>();
        _keys = keys;
        _options = options;
        _time = time;
    }

    public async Task<ApiKeyResult<ApiKeyUsageReport>> GetKeyUsageAsync(Guid keyId, ApiKeyUsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!TryGetRange(query, out var from, out var to, out var errors))
        {
            return ApiKeyResult.Invalid<ApiKeyUsageReport>(errors);
        }

        if (await _keys.FindByIdAsync(keyId, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiKeyResult.NotFound<ApiKeyUsageReport>();
        }

        var buckets = await ListAsync(new ApiKeyUsageFilter { KeyId = keyId, Granularity = query.Granularity, From = from, To = to }, cancellationToken)
            .ConfigureAwait(false);
        return ApiKeyResult.Success(Report(keyId, query.Granularity, from, to, buckets, dense: true));
    }

    public async Task<ApiKeyResult<ApiKeyOwnerUsageReport>> GetOwnerUsageAsync(string owner, ApiKeyUsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        TryGetRange(query, out var from, out var to, out var errors);
        if (string.IsNullOrWhiteSpace(owner) || owner.Length > ApiKeyRecord.MaxOwnerLength)
        {
            errors["owner"] = [$"owner is required, at most {ApiKeyRecord.MaxOwnerLength} characters."];
        }

        if (errors.Count > 0)
        {
            return ApiKeyResult.Invalid<ApiKeyOwnerUsageReport>(errors);
        }

        var buckets = await ListAsync(new ApiKeyUsageFilter { Owner = owner, Granularity = query.Granularity, From = from, To = to }, cancellationToken)
            .ConfigureAwait(false);
        var keys = buckets.GroupBy(b => b.KeyId).Select(g => Report(g.Key, query.Granularity, from, to, [.. g], dense: false)).ToList();
        return ApiKeyResult.Success(new ApiKeyOwnerUsageReport
        {
            Owner = owner,
            Granularity = query.Granularity,
            From = from,
            To = to,
            Keys = keys,
            Total = Sum(from, buckets),
        });
    }

    /// <summary>The distinct clients of many buckets: their sketches merged, then estimated.</summary>
    internal static ApiKeyUsageBucket Sum(DateTimeOffset start, IEnumerable<ApiKeyUsageRecord> buckets)
    {
        long allowed = 0, rateLimited = 0, quotaExhausted = 0, forbidden = 0, refused = 0;
        var sketch = ApiKeyClientSketch.Create();
        foreach (var bucket in buckets)
        {
            allowed += bucket.Allowed;
            rateLimited += bucket.RateLimited;
            quotaExhausted += bucket.QuotaExhausted;
            forbidden += bucket.Forbidden;
            refused += bucket.Refused;
            if (bucket.ClientSketch.Length == ApiKeyClientSketch.Size)
            {
                ApiKeyClientSketch.Merge(sketch, bucket.ClientSketch);
            }
        }

        return new ApiKeyUsageBucket
        {
            Start = start,
            Allowed = allowed,
            RateLimited = rateLimited,
            QuotaExhausted = quotaExhausted,
            Forbidden = forbidden,
            Refused = refused,
            Clients = ApiKeyClientSketch.Estimate(sketch),
        };
    }

    /// <summary>The whole buckets that cover [from, to), or the errors of the query.</summary>
    internal bool TryGetRange(ApiKeyUsageQuery query, out DateTimeOffset from, out DateTimeOffset to, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        from = to = default;
        if (!Enum.IsDefined(query.Granularity))
        {
            errors["granularity"] = ["granularity must be hour or day."];
            return false;
        }

        var span = Span(query.Granularity);
        var options = _options.Value;
        var longest = query.Granularity == ApiKeyUsageGranularity.Hour ? options.MaxHourlyRange : options.DayRetention + TimeSpan.FromDays(1);
        var end = query.To ?? _time.GetUtcNow();
        if (Outside(end))
        {
            errors["to"] = ["The date is out of range."];
            return false;
        }

        // The default range is whole buckets up to the one holding the end: 24 hours, or 30 days, including now.
        var endBucket = end.UtcTicks % span.Ticks == 0 ? end : new DateTimeOffset(end.UtcTicks - (end.UtcTicks % span.Ticks), TimeSpan.Zero) + span;
        var start = query.From ?? endBucket - (query.Granularity == ApiKeyUsageGranularity.Hour ? TimeSpan.FromDays(1) : TimeSpan.FromDays(30));
        if (Outside(end) || Outside(start))
        {
            errors[Outside(end) ? "to" : "from"] = ["The date is out of range."];
            return false;
        }

        if (start > end)
        {
            errors["from"] = ["from must not be after to."];
            return false;
        }

        from = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % span.Ticks), TimeSpan.Zero);
        var endTicks = end.UtcTicks % span.Ticks == 0 ? end.UtcTicks : end.UtcTicks - (end.UtcTicks % span.Ticks) + span.Ticks;
        to = new DateTimeOffset(Math.Max(endTicks, from.UtcTicks + span.Ticks), TimeSpan.Zero);
        if (to - from > longest)
        {
            errors["to"] = [$"A {(query.Granularity == ApiKeyUsageGranularity.Hour ? "hourly" : "daily")} range covers at most {(long)longest.TotalDays} days."];
            return false;
        }

        return true;
    }

    private static bool Outside(DateTimeOffset at) => at.UtcDateTime.Year is < 2000 or > 9000;

    private static TimeSpan Span(ApiKeyUsageGranularity granularity) =>
        granularity == ApiKeyUsageGranularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    private async Task<IReadOnlyList<ApiKeyUsageRecord>> ListAsync(ApiKeyUsageFilter filter, CancellationToken cancellationToken) =>
        _store is null ? [] : await _store.ListAsync(filter, cancellationToken).ConfigureAwait(false);

    /// <summary>One stored bucket as it is: its clients were estimated by the store when it merged the sketch.</summary>
    private static ApiKeyUsageBucket One(ApiKeyUsageRecord b) => new()
    {
        Start = b.Start,
        Allowed = b.Allowed,
        RateLimited = b.RateLimited,
        QuotaExhausted = b.QuotaExhausted,
        Forbidden = b.Forbidden,
        Refused = b.Refused,
        Clients = b.Clients,
    };

    private static ApiKeyUsageReport Report(
        Guid keyId, ApiKeyUsageGranularity granularity, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<ApiKeyUsageRecord> found, bool dense)
    {
        var buckets = new List<ApiKeyUsageBucket>();
        if (dense)
        {
            var byStart = found.ToDictionary(b => b.Start.UtcTicks);
            for (var start = from; start < to; start += Span(granularity))
            {
                buckets.Add(byStart.TryGetValue(start.UtcTicks, out var bucket) ? One(bucket) : new ApiKeyUsageBucket { Start = start });
            }
        }
        else
        {
            buckets.AddRange(found.Select(One));
        }

        return new ApiKeyUsageReport { KeyId = keyId, Granularity = granularity, From = from, To = to, Buckets = buckets, Total = Sum(from, found) };
    }
}

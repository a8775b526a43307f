using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Usage;

/// <summary>
/// Reads the usage history beside <see cref="IApiKeyManager"/>: per key or per owner, hourly or daily, by outcome, with
/// distinct clients. What was counted in the last <see cref="ApiKeyUsageHistoryOptions.FlushInterval"/> may not be in
/// it yet. Failures: <see cref="ApiKeyError.Invalid"/> (errors for <c>from</c>, <c>to</c>, <c>granularity</c>,
/// <c>owner</c>) or <see cref="ApiKeyError.NotFound"/> (no key has the id).
/// </summary>
public interface IApiKeyUsage
{
    /// <summary>One key's usage: every bucket of the range, empty ones included.</summary>
    Task<ApiKeyResult<ApiKeyUsageReport>> GetKeyUsageAsync(Guid keyId, ApiKeyUsageQuery query, CancellationToken cancellationToken = default);

    /// <summary>The usage of all of an owner's keys, read in one query; keys and buckets without requests left out.</summary>
    Task<ApiKeyResult<ApiKeyOwnerUsageReport>> GetOwnerUsageAsync(string owner, ApiKeyUsageQuery query, CancellationToken cancellationToken = default);
}

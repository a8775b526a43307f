namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// Endpoint metadata: requests to this endpoint are neither limited nor counted by per-key rate limits and
/// quotas. Add it with <c>DisableApiKeyRateLimit()</c> or as an attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class DisableApiKeyRateLimitAttribute : Attribute;

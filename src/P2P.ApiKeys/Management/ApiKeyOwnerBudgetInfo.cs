using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Management;

/// <summary>An owner's budget as <see cref="IApiKeyOwnerLimits"/> reads it: the limits, what is used of them, and the owner's keys.</summary>
public sealed class ApiKeyOwnerBudgetInfo
{
    /// <summary>Creates the information.</summary>
    /// <param name="owner">The owner's name.</param>
    /// <param name="limits">The owner's limits (both <see langword="null"/> when it has none).</param>
    /// <param name="usage">What is used of them in the current window and period.</param>
    /// <param name="activeKeys">The owner's keys that are neither revoked nor expired.</param>
    public ApiKeyOwnerBudgetInfo(string owner, ApiKeyOwnerLimits limits, ApiKeyLimitStatus usage, long activeKeys)
    {
        Owner = owner;
        Limits = limits;
        Usage = usage;
        ActiveKeys = activeKeys;
    }

    /// <summary>The owner's name.</summary>
    public string Owner { get; }

    /// <summary>The owner's limits (both <see langword="null"/> when it has none).</summary>
    public ApiKeyOwnerLimits Limits { get; }

    /// <summary>What is used of the limits in the current window and period.</summary>
    public ApiKeyLimitStatus Usage { get; }

    /// <summary>The owner's keys that are neither revoked nor expired.</summary>
    public long ActiveKeys { get; }
}

using Microsoft.Extensions.Options;
using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.DependencyInjection;

/// <summary>Checks <see cref="ApiKeyOptions"/> at start-up, with messages that say what to fix.</summary>
internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (!ApiKeyFormat.IsValidPrefix(options.KeyPrefix))
        {
            failures.Add($"ApiKeyOptions.KeyPrefix must be 1 to {ApiKeyFormat.MaxPrefixLength} lower-case ASCII letters or digits (for example \"p2p\").");
        }

        if (options.Pepper is { Length: < 32 })
        {
            failures.Add("ApiKeyOptions.Pepper must be at least 32 characters when set; leave it null to hash with plain SHA-256.");
        }

        if (options.CacheTtl < TimeSpan.Zero)
        {
            failures.Add("ApiKeyOptions.CacheTtl must not be negative; use TimeSpan.Zero to disable the cache.");
        }

        if (options.CacheSizeLimit < 1)
        {
            failures.Add("ApiKeyOptions.CacheSizeLimit must be at least 1.");
        }

        if (options.LastUsedFlushInterval <= TimeSpan.Zero)
        {
            failures.Add("ApiKeyOptions.LastUsedFlushInterval must be positive.");
        }

        if (options.MaxPageSize is < 1 or > 1000)
        {
            failures.Add("ApiKeyOptions.MaxPageSize must be between 1 and 1000.");
        }

        if (!options.DefaultScopes.All(Management.ApiKeyRules.IsWellFormedScope))
        {
            failures.Add("ApiKeyOptions.DefaultScopes must hold non-empty scopes without white space, at most 100 characters each.");
        }

        if (!options.KnownScopes.All(Management.ApiKeyRules.IsWellFormedScope))
        {
            failures.Add("ApiKeyOptions.KnownScopes must hold non-empty scopes without white space, at most 100 characters each.");
        }
        else if (options.KnownScopes.Count > 0 && options.DefaultScopes.FirstOrDefault(s => !options.KnownScopes.Contains(s)) is { } unknown)
        {
            failures.Add($"ApiKeyOptions.DefaultScopes holds '{unknown}', which is not in ApiKeyOptions.KnownScopes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

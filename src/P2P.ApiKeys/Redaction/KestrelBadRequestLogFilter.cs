using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Redaction;

/// <summary>
/// Kestrel rejects a malformed request line before any context exists, and when its
/// <c>Microsoft.AspNetCore.Server.Kestrel.BadRequests</c> category is enabled at Information or below it copies
/// the raw request line, query string and all, into the rejection it logs ("Invalid request line: 'GET
/// /x?api_key=…'"). That category is capped at Warning for every logger provider, after every other logging
/// rule, so no log configuration can bring those lines back (docs/security.md rule 24). Kestrel then leaves the
/// request line out of the rejection altogether.
/// </summary>
internal sealed class KestrelBadRequestLogFilter : IPostConfigureOptions<LoggerFilterOptions>
{
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        // A provider-specific rule always beats a general one, and of two equally specific rules the last wins:
        // one rule per provider that has rules of its own, plus one for all the others, all added last.
        var providers = options.Rules.Select(r => r.ProviderName).Where(p => p is not null).Distinct(StringComparer.Ordinal).ToList();
        foreach (var provider in providers.Prepend(null))
        {
            options.Rules.Add(new LoggerFilterRule(provider, Category, LogLevel.Warning, filter: null));
        }
    }
}

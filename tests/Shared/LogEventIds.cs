using System.Reflection;
using Microsoft.Extensions.Logging;

namespace P2P.Tests.Shared;

/// <summary>
/// Every <c>[LoggerMessage]</c> an assembly declares, and the event-id range of its area (docs/observability.md, "Log
/// event ids"). The area is the declaring type's namespace (or assembly): one folder per concern, one range per area.
/// </summary>
internal static class LogEventIds
{
    /// <summary>An area's range: the namespaces it covers (with the namespaces below them) or single log classes.</summary>
    public sealed record Area(int From, int To, string Name, params string[] Namespaces)
    {
        public bool Contains(int id) => id >= From && id <= To;

        public override string ToString() => $"{From}–{To} ({Name})";
    }

    /// <summary>The table of docs/observability.md, each row with the namespaces whose log classes it numbers.</summary>
    public static readonly Area[] Areas =
    [
        new(1000, 1099, "authentication and verification", "P2P.ApiKeys.Authentication"),
        new(1100, 1199, "change notifications", "P2P.ApiKeys.ChangeNotifications"),
        new(1200, 1299, "key management", "P2P.ApiKeys.Management"),
        new(1300, 1399, "rate limits and quotas", "P2P.ApiKeys.RateLimiting"),
        new(1400, 1499, "usage", "P2P.ApiKeys.Usage"),
        new(1500, 1599, "events, webhooks, outbox", "P2P.ApiKeys.Events", "P2P.ApiKeys.Webhooks", "P2P.ApiKeys.Outbox"),
        new(1600, 1699, "secret scanning", "P2P.ApiKeys.SecretScanning"),
        new(1700, 1799, "health checks and diagnostics", "P2P.ApiKeys.Diagnostics", "P2P.ApiKeys.HealthChecks"),
        new(3000, 3199, "admin endpoints", "P2P.ApiKeys.Admin"),
        new(5000, 5099, "P2P.ApiKeys.PostgreSql", "P2P.ApiKeys.PostgreSql"),
        new(5100, 5199, "P2P.ApiKeys.Redis: change notifications", "P2P.ApiKeys.Redis.RedisLog"),
        new(5200, 5299, "P2P.ApiKeys.Redis: rate limits", "P2P.ApiKeys.Redis.RedisRateLimitLog"),
        new(5300, 5399, "P2P.ApiKeys.EFCore", "P2P.ApiKeys.EFCore"),
        new(9000, 9999, "samples and tools", "AdminApi", "P2P.Dashboard", "P2P.ApiKeys.Cli"),
    ];

    /// <summary>One declared event: where, its id, name and level.</summary>
    public sealed record Event(MethodInfo Method, int Id, string? Name, LogLevel Level)
    {
        public override string ToString() => $"{Method.DeclaringType!.FullName}.{Method.Name} ({Id} {Name})";
    }

    /// <summary>Every <c>[LoggerMessage]</c> method of <paramref name="assembly"/>, nested types included.</summary>
    public static IReadOnlyList<Event> Declared(Assembly assembly) =>
        [.. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => new Event(m.Method, m.Attribute!.EventId, m.Attribute.EventName, m.Attribute.Level))];

    /// <summary>The area of the event's declaring type: its class, else the longest namespace that holds it, or null.</summary>
    public static Area? AreaOf(Event e)
    {
        var type = e.Method.DeclaringType!;
        var ns = type.Namespace ?? "";
        return Areas
            .SelectMany(a => a.Namespaces.Select(n => (Area: a, Namespace: n)))
            .Where(x => type.FullName == x.Namespace || ns == x.Namespace || ns.StartsWith(x.Namespace + ".", StringComparison.Ordinal))
            .OrderByDescending(x => x.Namespace.Length)
            .Select(x => x.Area)
            .FirstOrDefault();
    }

    /// <summary>What is wrong with these events: ids (or names) used twice, ids outside their area, areas unknown.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<Event> events)
    {
        var all = events.ToList();
        var problems = new List<string>();
        problems.AddRange(all.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"event id {g.Key} is used {g.Count()} times: {string.Join(", ", g)}"));
        problems.AddRange(all.Where(e => e.Name is not null).GroupBy(e => e.Name).Where(g => g.Count() > 1)
            .Select(g => $"event name {g.Key} is used {g.Count()} times: {string.Join(", ", g)}"));
        foreach (var e in all)
        {
            var area = AreaOf(e);
            if (area is null)
            {
                problems.Add($"{e}: its namespace has no event-id range; add one to docs/observability.md and to LogEventIds.Areas");
            }
            else if (!area.Contains(e.Id))
            {
                problems.Add($"{e}: id outside {area}");
            }
        }

        return problems;
    }
}

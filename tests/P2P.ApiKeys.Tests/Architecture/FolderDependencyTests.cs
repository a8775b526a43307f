namespace P2P.ApiKeys.Tests.Architecture;

/// <summary>
/// The folders of <c>src/P2P.ApiKeys</c> and what each may use: the request path reads top to bottom (key format and
/// limit definitions, stores and the cache, the verifier with its seam, then what observes the seam), nothing calls back
/// into the layer before it, and the admin endpoints are one client of the core that nothing in the core depends on.
/// A new folder, or a new dependency between folders, fails here until it is added on purpose.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Root = "";

    /// <summary>Every folder and the folders it may depend on (the root folder, <c>ApiKeyOptions</c>, is open to all).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        [Root] = [],
        ["KeyFormat"] = [],
        ["RateLimiting"] = [],
        ["Caching"] = [],
        ["Redaction"] = [],
        ["Stores"] = ["RateLimiting"],
        ["Authentication"] = ["KeyFormat", "RateLimiting", "Stores", "Caching", "Redaction", "Diagnostics"],
        ["Diagnostics"] = [],
        ["Usage"] = ["Authentication", "Stores", "Management", "Diagnostics", "RateLimiting"],
        ["RateLimiting/Enforcement"] = ["RateLimiting", "Authentication"],
        ["ChangeNotifications"] = ["Caching", "Diagnostics"],
        ["Management"] = ["KeyFormat", "RateLimiting", "Stores", "ChangeNotifications", "Diagnostics"],

        // Future folders of the core: each names what it may use; none may be used by the request path above.
        ["Events"] = ["Stores", "Management", "Diagnostics", "Authentication", "RateLimiting"],
        ["HealthChecks"] = ["Stores", "ChangeNotifications", "RateLimiting", "Diagnostics"],
        ["SecretScanning"] = ["KeyFormat", "Stores", "Management", "Events", "Diagnostics", "RateLimiting"],

        ["DependencyInjection"] =
        [
            "KeyFormat", "RateLimiting", "Caching", "Redaction", "Stores", "Authentication", "Diagnostics", "Usage", "RateLimiting/Enforcement",
            "ChangeNotifications", "Management", "Events", "HealthChecks", "SecretScanning",
        ],

        // One client of the core, shaped like Identity: it may use all of it, and nothing in the core may use it.
        ["Admin"] =
        [
            "KeyFormat", "RateLimiting", "Caching", "Redaction", "Stores", "Authentication", "Diagnostics", "Usage", "RateLimiting/Enforcement",
            "ChangeNotifications", "Management", "Events", "HealthChecks", "SecretScanning", "DependencyInjection",
        ],
    };

    [Fact]
    public void Folders_EveryOne_IsListed()
    {
        var unlisted = SourceFolders.Files.Select(f => f.Unit).Distinct().Where(u => !Allowed.ContainsKey(u)).ToList();
        Assert.True(unlisted.Count == 0, "Folders without a line in FolderDependencyTests.Allowed: " + string.Join(", ", unlisted));
    }

    [Fact]
    public void Folders_Dependencies_OnlyThoseAllowed()
    {
        var owner = SourceFolders.Files
            .SelectMany(f => f.DeclaredTypes.Select(t => (Type: t, f.Unit)))
            .GroupBy(t => t.Type, StringComparer.Ordinal)
            .Where(g => g.Select(t => t.Unit).Distinct().Count() == 1) // a name declared in two folders tells nothing
            .ToDictionary(g => g.Key, g => g.First().Unit, StringComparer.Ordinal);

        var violations = new List<string>();
        foreach (var file in SourceFolders.Files)
        {
            foreach (var identifier in file.Identifiers)
            {
                if (owner.TryGetValue(identifier, out var unit) && unit != file.Unit && unit != Root
                    && !(Allowed.TryGetValue(file.Unit, out var allowed) && allowed.Contains(unit)))
                {
                    violations.Add($"{file.RelativePath} ({Display(file.Unit)}) uses {identifier} ({Display(unit)})");
                }
            }
        }

        Assert.True(violations.Count == 0, "Dependencies not in FolderDependencyTests.Allowed:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Folders_AllowedDependencies_HaveNoCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in Allowed.Keys)
        {
            Visit(unit, []);
        }

        void Visit(string unit, List<string> path)
        {
            if (state.GetValueOrDefault(unit) == 2)
            {
                return;
            }

            Assert.False(state.GetValueOrDefault(unit) == 1, "Cycle: " + string.Join(" -> ", path.Append(unit).Select(Display)));
            state[unit] = 1;
            foreach (var next in Allowed[unit])
            {
                Visit(next, [.. path, unit]);
            }

            state[unit] = 2;
        }
    }

    [Fact]
    public void Admin_NothingInTheCore_DependsOnIt()
    {
        Assert.All(Allowed.Where(a => a.Key != "Admin"), a => Assert.DoesNotContain("Admin", a.Value));
    }

    [Fact]
    public void Scanner_KnownTypesAndUses_AreSeen()
    {
        var verifier = Assert.Single(SourceFolders.Files, f => f.RelativePath == "Authentication/ApiKeyVerifier.cs");
        Assert.Equal("Authentication", verifier.Unit);
        Assert.Contains("ApiKeyVerifier", verifier.DeclaredTypes);
        Assert.Contains("ApiKeyVerificationCache", verifier.Identifiers);
        Assert.Contains("ApiKeyVerificationCache", Assert.Single(SourceFolders.Files, f => f.RelativePath == "Caching/ApiKeyVerificationCache.cs").DeclaredTypes);
        Assert.Equal("RateLimiting/Enforcement", SourceFolders.UnitOf("RateLimiting/Enforcement"));
        Assert.Equal("Admin", SourceFolders.UnitOf("Admin/Users"));
    }

    private static string Display(string unit) => unit.Length == 0 ? "(root)" : unit;
}

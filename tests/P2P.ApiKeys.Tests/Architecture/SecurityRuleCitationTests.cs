using System.Globalization;
using System.Text.RegularExpressions;

namespace P2P.ApiKeys.Tests.Architecture;

/// <summary>
/// Comments, tests and docs cite the security rules as <c>docs/security.md rule N</c> (in docs/: <c>security.md rule N</c>):
/// every cited number is a rule heading of docs/security.md, and nothing cites a file that is not in the repository.
/// </summary>
public sealed partial class SecurityRuleCitationTests
{
    private static readonly string[] Roots = ["src", "samples", "tools", "tests", "docs", "benchmarks", ".ci", "README.md", "CHANGELOG.md"];

    private static readonly string[] Extensions = [".cs", ".md", ".sh", ".json", ".props", ".csproj", ".razor", ".cshtml", ".css", ".js", ""];

    private static string Repository => Path.GetDirectoryName(Path.GetDirectoryName(SourceFolders.ProjectDirectory))!;

    [Fact]
    public void Citations_EveryCitedRule_IsAHeadingOfDocsSecurityMd()
    {
        var rules = RuleHeading().Matches(File.ReadAllText(Path.Combine(Repository, "docs", "security.md")))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        var citations = Files().SelectMany(f => Citation().Matches(File.ReadAllText(f))
            .Select(m => (File: Path.GetRelativePath(Repository, f), Text: m.Value, Rules: Numbers(m.Groups["list"].Value)))).ToList();

        Assert.True(citations.Count >= 30, $"only {citations.Count} citations found; is the pattern still right?");
        var unknown = citations.Where(c => c.Rules.Any(r => !rules.Contains(r))).Select(c => $"{c.File}: \"{c.Text}\"");
        Assert.Empty(unknown);
    }

    [Fact]
    public void Citations_NameTheFileInTheRepository()
    {
        var wrong = "SECURITY" + ".md"; // the shared requirements file, not part of this repository
        var offenders = Files().Where(f => File.ReadAllText(f).Contains(wrong, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Repository, f));

        Assert.Empty(offenders);
    }

    private static IEnumerable<string> Files() =>
        Roots.Select(r => Path.Combine(Repository, r)).SelectMany(r => File.Exists(r) ? [r]
            : Directory.Exists(r) ? Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories) : [])
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "node_modules" or "TestResults"))
            .Where(f => Extensions.Contains(Path.GetExtension(f)) && !f.EndsWith(Path.Combine("docs", "security.md"), StringComparison.Ordinal));

    /// <summary>"9–12, 15, 22" or "14 and 16" or "24": every rule number, ranges expanded.</summary>
    private static IEnumerable<int> Numbers(string list) =>
        NumberOrRange().Matches(list).SelectMany(m => m.Groups[2].Success
            ? Enumerable.Range(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) - int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1)
            : [int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)]);

    [GeneratedRegex(@"^### (\d+)\. ", RegexOptions.Multiline)]
    private static partial Regex RuleHeading();

    [GeneratedRegex(@"security\.md\)?\s+rules?\s+(?<list>\d+(?:\s*[–-]\s*\d+)?(?:(?:,\s*|\s+and\s+)\d+(?:\s*[–-]\s*\d+)?)*)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"(\d+)(?:\s*[–-]\s*(\d+))?")]
    private static partial Regex NumberOrRange();
}

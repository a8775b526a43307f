using System.Text.RegularExpressions;

namespace P2P.ApiKeys.Tests.Architecture;

/// <summary>
/// The source files of <c>src/P2P.ApiKeys</c>, read as text: each file's folder ("unit"), the top-level types it declares,
/// its namespace, and the type names its code (comments and strings left out) mentions. Enough to see which folder
/// depends on which, without a compiler.
/// </summary>
internal static partial class SourceFolders
{
    /// <summary>Folders that are units of their own below a top-level folder; any other subfolder belongs to its top-level one.</summary>
    private static readonly string[] NestedUnits = ["RateLimiting/Enforcement"];

    public static string ProjectDirectory { get; } = FindProjectDirectory();

    public static IReadOnlyList<SourceFile> Files { get; } = Load();

    /// <summary>The unit of a file: its folder relative to the project, "" for the root, collapsed to its top-level folder unless listed.</summary>
    public static string UnitOf(string relativeDirectory)
    {
        var folder = relativeDirectory.Replace('\\', '/').Trim('/');
        if (folder.Length == 0 || NestedUnits.Contains(folder))
        {
            return folder;
        }

        var nested = NestedUnits.FirstOrDefault(n => folder.StartsWith(n + "/", StringComparison.Ordinal));
        return nested ?? folder.Split('/')[0];
    }

    private static string FindProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "P2P.ApiKeys.sln")))
            {
                return Path.Combine(directory.FullName, "src", "P2P.ApiKeys");
            }
        }

        throw new InvalidOperationException("The repository root (P2P.ApiKeys.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static List<SourceFile> Load()
    {
        var files = Directory.EnumerateFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(ProjectDirectory, path).Replace('\\', '/')))
            .Where(f => !f.Relative.StartsWith("obj/", StringComparison.Ordinal) && !f.Relative.StartsWith("bin/", StringComparison.Ordinal))
            .Select(f =>
            {
                var text = File.ReadAllText(f.Path);
                var code = StripCommentsAndStrings(text);
                return new SourceFile(
                    f.Relative,
                    UnitOf(Path.GetDirectoryName(f.Relative) ?? ""),
                    NamespacePattern().Match(text) is { Success: true } ns ? ns.Groups[1].Value : "",
                    [.. TopLevelTypePattern().Matches(code).Select(m => m.Groups[1].Value)],
                    [.. IdentifierPattern().Matches(code).Select(m => m.Value).Distinct(StringComparer.Ordinal)]);
            })
            .ToList();
        return files;
    }

    private static string StripCommentsAndStrings(string text)
    {
        text = RawStringPattern().Replace(text, "\"\"");
        text = VerbatimStringPattern().Replace(text, "\"\"");
        text = StringPattern().Replace(text, "\"\"");
        text = CharPattern().Replace(text, "' '");
        text = BlockCommentPattern().Replace(text, " ");
        return LineCommentPattern().Replace(text, "");
    }

    [GeneratedRegex("\"\"\"[\\s\\S]*?\"\"\"")]
    private static partial Regex RawStringPattern();

    [GeneratedRegex("@\\$?\"(?:[^\"]|\"\")*\"|\\$@\"(?:[^\"]|\"\")*\"")]
    private static partial Regex VerbatimStringPattern();

    [GeneratedRegex("\"(?:\\\\.|[^\"\\\\\\n])*\"")]
    private static partial Regex StringPattern();

    [GeneratedRegex("'(?:\\\\.|[^'\\\\\\n])'")]
    private static partial Regex CharPattern();

    [GeneratedRegex("/\\*[\\s\\S]*?\\*/")]
    private static partial Regex BlockCommentPattern();

    [GeneratedRegex("//.*$", RegexOptions.Multiline)]
    private static partial Regex LineCommentPattern();

    [GeneratedRegex("^namespace\\s+([\\w.]+)\\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    // Column 0: file-scoped namespaces put top-level types there; nested types are indented.
    [GeneratedRegex("^(?:\\[[^\\n]*\\]\\s*)*(?:(?:public|internal|file|static|sealed|abstract|partial|readonly|ref)\\s+)*(?:class|struct|interface|enum|record(?:\\s+struct|\\s+class)?)\\s+(\\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelTypePattern();

    [GeneratedRegex("\\b[A-Z]\\w*\\b")]
    private static partial Regex IdentifierPattern();
}

internal sealed record SourceFile(string RelativePath, string Unit, string Namespace, IReadOnlyList<string> DeclaredTypes, IReadOnlyList<string> Identifiers);

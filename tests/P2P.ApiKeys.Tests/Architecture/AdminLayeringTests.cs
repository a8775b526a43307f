using System.Text.RegularExpressions;

namespace P2P.ApiKeys.Tests.Architecture;

/// <summary>
/// Admin is one client of the core: the core's folders never reference <c>Admin/</c>, and each admin feature folder's
/// namespace is its folder's. (A test of every folder dependency belongs to the architecture test of issue 20.)
/// </summary>
public sealed partial class AdminLayeringTests
{
    private static readonly string Library = Path.Combine(RepositoryRoot(), "src", "P2P.ApiKeys");

    [Fact]
    public void CoreFolders_NeverReferenceAdmin()
    {
        var offenders = Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsGenerated(f) && !Path.GetRelativePath(Library, f).StartsWith("Admin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => AdminNamespace().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Library, f))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void AdminFeatureFolders_NamespacesMatchTheirFolders()
    {
        foreach (var feature in new[] { "Users", "Login", "Keys", "Audit" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Library, "Admin", feature), "*.cs"))
            {
                Assert.Contains($"namespace P2P.ApiKeys.Admin.{feature};", File.ReadAllText(file), StringComparison.Ordinal);
            }
        }
    }

    private static bool IsGenerated(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "P2P.ApiKeys.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("P2P.ApiKeys.sln not found above the test output.");
    }

    [GeneratedRegex(@"\bP2P\.ApiKeys\.Admin\b")]
    private static partial Regex AdminNamespace();
}

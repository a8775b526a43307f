namespace P2P.ApiKeys.Tests.Architecture;

/// <summary>A file's namespace is its folder's: <c>P2P.ApiKeys</c> plus the folder path.</summary>
public sealed class NamespaceTests
{
    /// <summary>
    /// Extension methods live where their callers find them without a using: the framework's namespace of what they
    /// extend (<c>IServiceCollection</c>, endpoint builders, <c>HttpRequest</c>), or the root namespace for the builder
    /// <c>AddApiKeyAuth</c> returns.
    /// </summary>
    private static readonly string[] ExtensionNamespaces =
        ["P2P.ApiKeys", "Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http"];

    [Fact]
    public void Files_Namespace_IsTheFoldersOrAnExtensionNamespace()
    {
        var wrong = SourceFolders.Files
            .Where(f => f.Namespace != Expected(f.RelativePath)
                && !(f.DeclaredTypes.All(t => t.EndsWith("Extensions", StringComparison.Ordinal)) && ExtensionNamespaces.Contains(f.Namespace)))
            .Select(f => $"{f.RelativePath}: {f.Namespace}, expected {Expected(f.RelativePath)}")
            .ToList();

        Assert.True(wrong.Count == 0, "Namespaces that differ from their folders:\n" + string.Join("\n", wrong));
    }

    private static string Expected(string relativePath)
    {
        var folder = Path.GetDirectoryName(relativePath)!.Replace('\\', '/');
        return folder.Length == 0 ? "P2P.ApiKeys" : "P2P.ApiKeys." + folder.Replace('/', '.');
    }
}

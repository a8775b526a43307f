using System.Reflection;

namespace P2P.ApiKeys.Cli.Tests.Infrastructure;

/// <summary>The repository's root (the folder of <c>P2P.ApiKeys.sln</c>) and the build configuration of these tests.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Configuration { get; } =
        typeof(RepositoryRoot).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "P2P.ApiKeys.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("P2P.ApiKeys.sln not found above " + AppContext.BaseDirectory);
    }
}

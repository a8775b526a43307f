using System.Reflection;

namespace P2P.Dashboard.Tests.Infrastructure;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Where browser tests save screenshots: docs/images when P2P_UPDATE_SCREENSHOTS=1 (to refresh the docs),
    /// else the test output folder, so an ordinary test run leaves the work tree clean.
    /// </summary>
    public static string Screenshots { get; } =
        Environment.GetEnvironmentVariable("P2P_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Root, "docs", "images")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The dashboard as built next to its project (where its static web assets manifest lives).</summary>
    public static string DashboardDll
    {
        get
        {
            var configuration = typeof(RepositoryPaths).Assembly
                .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(Root, "samples", "Dashboard", "bin", configuration, "net10.0", "Dashboard.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build samples/Dashboard first.", dll);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2P.ApiKeys.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("P2P.ApiKeys.sln not found above " + AppContext.BaseDirectory);
    }
}

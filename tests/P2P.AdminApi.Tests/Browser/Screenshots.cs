namespace P2P.AdminApi.Tests.Browser;

/// <summary>
/// Where browser tests save screenshots: <c>docs/images</c> when <c>P2P_UPDATE_SCREENSHOTS=1</c> (to refresh the
/// docs), else the test output folder, so an ordinary run leaves the work tree clean.
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("P2P_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(FindRoot(), "docs", "images")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string PathFor(string fileName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, fileName);
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

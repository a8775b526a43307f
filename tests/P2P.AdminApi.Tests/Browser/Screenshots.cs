using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Browser;

/// <summary>
/// Where browser tests save screenshots: <c>docs/images</c> when <c>P2P_UPDATE_SCREENSHOTS=1</c> (to refresh the
/// docs), else the test output folder, so an ordinary run leaves the work tree clean.
/// </summary>
internal static class Screenshots
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("P2P_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot.Path, "docs", "images")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string PathFor(string fileName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, fileName);
    }
}

namespace P2P.AdminApi.Tests.Infrastructure;

/// <summary>
/// The repository's root folder, found by walking up from the test output folder to <c>P2P.ApiKeys.sln</c>.
/// Tests locate checked-in files this way rather than with <c>[CallerFilePath]</c>, because a CI build
/// (<c>ContinuousIntegrationBuild</c>) maps source paths to <c>/_/</c> and the compiled path no longer exists.
/// </summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "P2P.ApiKeys.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("P2P.ApiKeys.sln not found above " + AppContext.BaseDirectory);
    }
}

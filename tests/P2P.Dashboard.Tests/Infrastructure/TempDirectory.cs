namespace P2P.Dashboard.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp folder, outside the repository (so no root .env is found).</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("p2p-dashboard-").FullName;
    }

    public string Path { get; }

    public string WriteEnvFile(params string[] lines)
    {
        var file = System.IO.Path.Combine(Path, ".env");
        File.WriteAllLines(file, lines);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that just exited may still hold a handle; the OS cleans temp eventually.
        }
    }
}

namespace AdminApi.Hosting;

/// <summary>
/// Where the sample keeps its state (the SQLite file and the generated signing key): outside the source tree,
/// so that a clone never carries secrets or a database and <c>git clean</c> never deletes them.
/// </summary>
internal static class AdminApiDataDirectory
{
    /// <summary>Configuration key (or environment variable) that overrides the location.</summary>
    public const string ConfigurationKey = "DataDirectory";

    public const string FolderName = "p2p-adminapi";

    /// <summary>
    /// <c>DataDirectory</c> from configuration, else <c>$XDG_DATA_HOME/p2p-adminapi</c> or
    /// <c>~/.local/share/p2p-adminapi</c> (the local application data folder on Windows). Created if missing,
    /// owner-only on Unix.
    /// </summary>
    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        var path = string.IsNullOrWhiteSpace(configured) ? DefaultPath() : Path.GetFullPath(configured);
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return path;
    }

    internal static string DefaultPath()
    {
        // .NET maps LocalApplicationData to $XDG_DATA_HOME, falling back to ~/.local/share, on Linux.
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(root, FolderName);
    }
}

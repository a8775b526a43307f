using System.Text;

namespace P2P.ApiKeys.Cli.Files;

/// <summary>
/// Writes a file that holds a secret so that only its owner can read it (mode 0600 on Unix, whatever the folder's
/// mode or the umask; docs/security.md rule 26): a new file in the same folder, created 0600, then renamed over the old
/// one, so that no reader ever sees a half-written file or a moment of wider permissions.
/// </summary>
internal static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = Mode;
                }

                var stream = new FileStream(temporary, options);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(new UTF8Encoding(false).GetBytes(contents), cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                File.Move(temporary, fullPath, overwrite: true);
            }
            finally
            {
                File.Delete(temporary); // nothing left behind when the write failed
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"Could not write {fullPath}: {ex.Message}");
        }
    }

    public static string? ReadAllText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"Could not read {Path.GetFullPath(path)}: {ex.Message}");
        }
    }
}

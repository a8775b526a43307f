using System.Text.Json;

namespace P2P.ApiKeys.Cli.Files;

/// <summary>The admin token that <c>login</c> got, kept in a user-only (0600) file until it expires or <c>logout</c>.</summary>
internal static class CredentialStore
{
    public static async Task SaveAsync(string path, StoredCredentials credentials, CancellationToken cancellationToken) =>
        await OwnerOnlyFile.WriteAllTextAsync(path, JsonSerializer.Serialize(credentials, CliJsonContext.Default.StoredCredentials), cancellationToken).ConfigureAwait(false);

    public static StoredCredentials? Load(string path)
    {
        var text = OwnerOnlyFile.ReadAllText(path);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, CliJsonContext.Default.StoredCredentials);
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.FileError, $"{path} is not a p2p-keys credentials file; run p2p-keys logout, then login again.");
        }
    }

    /// <returns>Whether there was a file to delete.</returns>
    public static bool Delete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.FileError, $"Could not delete {path}: {ex.Message}");
        }
    }
}

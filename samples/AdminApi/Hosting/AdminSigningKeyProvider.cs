using System.Security.Cryptography;
using System.Text;

namespace AdminApi.Hosting;

/// <summary>
/// Supplies the key that signs admin JWTs (HMAC-SHA256, so at least 256 bits).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Configured <c>Admin:SigningKey</c> (environment <c>Admin__SigningKey</c>), or the library's own name for it,
/// <c>Admin:Token:SigningKey</c>, wins in every environment; a key shorter than 32 bytes stops start-up.</item>
/// <item>In Development (what <c>dotnet run</c> uses through launchSettings) a missing key is generated on first
/// start: 32 bytes from the CSPRNG, stored base64 in <c>{dataDirectory}/admin-signing-key</c> with owner-only
/// permissions, and reused on later starts so admin tokens survive a restart.</item>
/// <item>In every other environment a missing key stops start-up with a message naming the setting; a
/// production host must never mint its own key silently (each node would sign with a different one).</item>
/// </list>
/// </remarks>
internal sealed class AdminSigningKeyProvider(IConfiguration configuration, IHostEnvironment environment, string dataDirectory)
{
    public const string ConfigurationKey = "Admin:SigningKey";
    public const string OptionsConfigurationKey = "Admin:Token:SigningKey";
    public const string EnvironmentVariableName = "Admin__SigningKey";
    public const string FileName = "admin-signing-key";
    public const int MinimumKeyBytes = 32;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string KeyFilePath => Path.Combine(dataDirectory, FileName);

    /// <summary>Returns the signing key, creating it in Development when none is configured.</summary>
    /// <exception cref="InvalidOperationException">The key is missing outside Development, or too short.</exception>
    public string GetSigningKey()
    {
        var configured = configuration[ConfigurationKey] is { Length: > 0 } shortName ? shortName : configuration[OptionsConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // The value is used as given (its UTF-8 bytes); the message never includes it.
            if (Encoding.UTF8.GetByteCount(configured) < MinimumKeyBytes)
            {
                throw new InvalidOperationException(
                    $"The admin signing key in '{ConfigurationKey}' is shorter than {MinimumKeyBytes} bytes (256 bits). "
                    + $"Set the {EnvironmentVariableName} environment variable (or {ConfigurationKey}) to a longer random value, e.g. the output of 'openssl rand -base64 32'.");
            }

            return configured;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"No admin signing key is configured for the '{environment.EnvironmentName}' environment. "
                + $"Set the {EnvironmentVariableName} environment variable (or {ConfigurationKey} in configuration) to at least {MinimumKeyBytes} random bytes, e.g. the output of 'openssl rand -base64 32'. "
                + "Only Development generates a key by itself.");
        }

        return ReadKeyFile() ?? CreateKeyFile();
    }

    private string? ReadKeyFile()
    {
        var path = KeyFilePath;
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            // Someone widened the permissions (or an old copy was restored); a signing key is owner-only.
            File.SetUnixFileMode(path, OwnerOnly);
        }

        var text = File.ReadAllText(path).Trim();
        if (!IsValidStoredKey(text))
        {
            throw new InvalidOperationException(
                $"The generated admin signing key file '{path}' is damaged (not base64 of at least {MinimumKeyBytes} bytes). "
                + $"Delete it to generate a new one (existing admin tokens become invalid), or set {EnvironmentVariableName}.");
        }

        return text;
    }

    private string CreateKeyFile()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes));
        var path = KeyFilePath;
        var temp = Path.Combine(dataDirectory, $".{FileName}.{Guid.NewGuid():N}.tmp");

        // Created owner-only from the first byte (no window with wider permissions), then moved into place
        // atomically; if another process won the race, its key is the one to use.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(key);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return ReadKeyFile() ?? throw new InvalidOperationException($"The admin signing key file '{path}' vanished during start-up.");
        }
    }

    private static bool IsValidStoredKey(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= MinimumKeyBytes;
    }
}

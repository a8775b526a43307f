using System.Text;

namespace P2P.ApiKeys.Cli;

/// <summary>
/// Everything the commands take from the process: the console streams, environment variables, where the admin
/// token is kept and how a password is read without echo. <see cref="FromProcess"/> is the real one; tests build
/// their own so that the CLI runs in-process exactly as it does from a shell.
/// </summary>
internal sealed class CliContext
{
    /// <summary>The admin password, instead of a prompt or standard input.</summary>
    public const string PasswordVariable = "P2P_ADMIN_PASSWORD";

    /// <summary>An admin API key (<c>admin:keys:*</c>), sent as <c>X-API-Key</c> instead of a stored admin token.</summary>
    public const string AdminKeyVariable = "P2P_ADMIN_KEY";

    /// <summary>The API's base URL when <c>--url</c> is not given.</summary>
    public const string UrlVariable = "P2P_ADMIN_URL";

    /// <summary>Where the admin token is kept, instead of the user's configuration folder.</summary>
    public const string CredentialsVariable = "P2P_KEYS_CREDENTIALS";

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Whether standard input is a pipe or a file rather than a terminal.</summary>
    public required bool IsInputRedirected { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>Shows the prompt and reads a line without echoing it; <see langword="null"/> when there is no terminal.</summary>
    public required Func<string, string?> ReadSecret { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The user-only file that holds the admin token after <c>login</c>.</summary>
    public string CredentialsPath =>
        GetEnvironmentVariable(CredentialsVariable) is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "p2p-keys", "credentials.json");

    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        IsInputRedirected = Console.IsInputRedirected,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        ReadSecret = ReadSecretFromTerminal,
        TimeProvider = TimeProvider.System,
    };

    private static string? ReadSecretFromTerminal(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true); // intercept: the character is not echoed
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return secret.ToString();
    }
}

namespace P2P.ApiKeys.Cli.CommandLine;

/// <summary>
/// The admin password, never from the command line (it would sit in the shell history and in <c>ps</c>): the
/// <c>P2P_ADMIN_PASSWORD</c> variable, else the first line of standard input when it is a pipe or file (or with
/// <c>--password-stdin</c>), else a prompt that does not echo.
/// </summary>
internal static class PasswordReader
{
    public static async Task<string> ReadAsync(CliContext context, bool fromStdin, bool confirm, CancellationToken cancellationToken)
    {
        if (context.GetEnvironmentVariable(CliContext.PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (fromStdin || context.IsInputRedirected)
        {
            var line = await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(line)
                ? throw new CliException(ExitCodes.Usage, "No password on standard input.")
                : line;
        }

        var password = context.ReadSecret("Password: ")
            ?? throw new CliException(ExitCodes.Usage, $"No password: set {CliContext.PasswordVariable}, pipe it on standard input, or run in a terminal.");
        if (confirm && context.ReadSecret("Repeat the password: ") != password)
        {
            throw new CliException(ExitCodes.Usage, "The passwords differ.");
        }

        return password;
    }
}

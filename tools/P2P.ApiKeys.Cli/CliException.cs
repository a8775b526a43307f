namespace P2P.ApiKeys.Cli;

/// <summary>
/// A failure that ends the command with <see cref="ExitCode"/>: its message (or the API's problem details) is
/// written to standard error on one line. Never carries a key, token or password.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, System.Text.Json.Nodes.JsonObject? problem = null)
        : base(message)
    {
        ExitCode = exitCode;
        Problem = problem;
    }

    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = ExitCodes.Refused;

    /// <summary>The API's problem details, when it sent any.</summary>
    public System.Text.Json.Nodes.JsonObject? Problem { get; }
}

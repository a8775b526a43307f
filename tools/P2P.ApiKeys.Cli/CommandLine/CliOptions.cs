using System.CommandLine;

namespace P2P.ApiKeys.Cli.CommandLine;

/// <summary>
/// The options every command takes. One instance per command tree: a System.CommandLine symbol belongs to the
/// tree it was added to, so two trees (two in-process runs) must not share one.
/// </summary>
internal sealed class CliOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the result as JSON on standard output (errors as one JSON line on standard error).",
        Recursive = true,
    };

    public Option<string> Url { get; } = new("--url")
    {
        Description = "The API's base URL, e.g. http://127.0.0.1:8000 (default: P2P_ADMIN_URL, else the URL of the last login). https unless on this machine.",
        Recursive = true,
    };
}

using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Cli.CommandLine;

namespace P2P.ApiKeys.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <c>p2p-keys</c> in-process through its real entry (<see cref="CliApplication.RunAsync"/>) with its own
/// environment variables, standard input and credentials file, as a shell would run it; no process is started.
/// </summary>
internal sealed class CliRunner
{
    public CliRunner(string folder)
    {
        Folder = folder;
        Environment[CliContext.CredentialsVariable] = Path.Combine(folder, "credentials.json");
    }

    public string Folder { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public TimeProvider TimeProvider { get; set; } = System.TimeProvider.System;

    /// <summary>What a terminal prompt would read; <see langword="null"/> for no terminal.</summary>
    public string? TerminalInput { get; set; }

    public string CredentialsPath => Environment[CliContext.CredentialsVariable];

    /// <summary>Runs with <paramref name="stdin"/> piped on standard input.</summary>
    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => RunCoreAsync(stdin, args);

    /// <summary>Runs from a terminal: no piped input.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunCoreAsync(stdin: null, args);

    private async Task<CliResult> RunCoreAsync(string? stdin, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? "");
        var context = new CliContext
        {
            Out = output,
            Error = error,
            In = input,
            IsInputRedirected = stdin is not null,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            ReadSecret = _ => TerminalInput,
            TimeProvider = TimeProvider,
        };
        var exitCode = await CliApplication.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public static FakeTimeProvider FakeClock() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
}

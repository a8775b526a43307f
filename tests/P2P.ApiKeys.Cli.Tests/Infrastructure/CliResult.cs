using System.Text.Json.Nodes;

namespace P2P.ApiKeys.Cli.Tests.Infrastructure;

/// <summary>What one run of <c>p2p-keys</c> returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonNode Json => JsonNode.Parse(Output) ?? throw new InvalidOperationException("No JSON on standard output.");

    /// <summary>Asserts exit code 0, showing what the CLI printed otherwise.</summary>
    public CliResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\nstdout: {Output}\nstderr: {Error}");
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

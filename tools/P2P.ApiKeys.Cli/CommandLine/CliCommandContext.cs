namespace P2P.ApiKeys.Cli.CommandLine;

/// <summary>What every command's action needs: the process (or test) context and this tree's shared options.</summary>
internal sealed record CliCommandContext(CliContext Context, CliOptions Options);

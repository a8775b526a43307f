using P2P.ApiKeys.Cli;
using P2P.ApiKeys.Cli.CommandLine;

return await CliApplication.RunAsync(args, CliContext.FromProcess(), CancellationToken.None).ConfigureAwait(false);

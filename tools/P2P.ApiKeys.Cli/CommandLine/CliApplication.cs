using System.CommandLine;
using P2P.ApiKeys.Cli.Commands;
using P2P.ApiKeys.Cli.Output;

namespace P2P.ApiKeys.Cli.CommandLine;

/// <summary>
/// <c>p2p-keys</c>: the command tree and its invocation. <see cref="RunAsync"/> is the whole program; the
/// process entry point only hands it the real console, and tests call it in-process with their own.
/// </summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var cli = new CliCommandContext(context, new CliOptions());
        var root = new RootCommand("p2p-keys: the P2P.ApiKeys admin workflow from a terminal or a CI job.")
        {
            cli.Options.Json,
            cli.Options.Url,
            LoginCommands.Login(cli),
            LoginCommands.Logout(cli),
            AdminCommands.Create(cli),
            KeysCommands.Create(cli),
        };

        var parseResult = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parseResult.Errors)
            {
                context.Error.WriteLine($"p2p-keys: {error.Message}");
            }

            context.Error.WriteLine("Run p2p-keys --help for the commands and their options.");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="run"/> as the command's action: 0 when it returns, the failure's exit code (and one line
    /// on standard error) when it throws a <see cref="CliException"/>.
    /// </summary>
    public static void SetAction(Command command, CliCommandContext cli, Func<ParseResult, CliOutput, CancellationToken, Task> run) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = new CliOutput(cli.Context, parseResult.GetValue(cli.Options.Json));
            try
            {
                await run(parseResult, output, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (CliException failure)
            {
                output.Failure(failure);
                return failure.ExitCode;
            }
        });
}

using System.CommandLine;
using System.Text.Json.Nodes;
using P2P.ApiKeys.Cli.CommandLine;
using P2P.ApiKeys.Cli.Http;

namespace P2P.ApiKeys.Cli.Commands;

/// <summary><c>admin bootstrap</c>: the seed's step 2, the one-time creation of the first admin (<c>POST /admin/users/</c>, anonymous while none exists).</summary>
internal static class AdminCommands
{
    public static Command Create(CliCommandContext cli)
    {
        var userName = new Option<string>("--username") { Description = "The first admin's user name.", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = $"Read the password from the first line of standard input (also the default when it is a pipe). {CliContext.PasswordVariable} wins over both.",
        };
        var bootstrap = new Command("bootstrap", "Create the first admin; works only while the API has no admin at all.") { userName, passwordStdin };
        CliApplication.SetAction(bootstrap, cli, async (parseResult, output, cancellationToken) =>
        {
            var url = AdminSession.ExplicitUrl(parseResult, cli)
                ?? throw new CliException(ExitCodes.Usage, $"admin bootstrap needs --url (or {CliContext.UrlVariable}).");
            var name = parseResult.GetRequiredValue(userName);
            var password = await PasswordReader.ReadAsync(cli.Context, parseResult.GetValue(passwordStdin), confirm: true, cancellationToken).ConfigureAwait(false);

            using var client = new AdminApiClient(url, credential: null);
            var answer = await client.PostJsonAsync("admin/users/", new JsonObject { ["username"] = name, ["password"] = password }, cancellationToken).ConfigureAwait(false);
            output.Result(answer, o =>
            {
                o.WriteLine($"Created the first admin {answer?["username"]} ({answer?["id"]}).");
                o.WriteLine($"Next: p2p-keys login --url {url} --username {name}");
            });
        });

        return new Command("admin", "Admin accounts.") { bootstrap };
    }
}

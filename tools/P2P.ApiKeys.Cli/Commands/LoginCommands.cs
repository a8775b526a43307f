using System.CommandLine;
using System.Text.Json.Nodes;
using P2P.ApiKeys.Cli.CommandLine;
using P2P.ApiKeys.Cli.Files;
using P2P.ApiKeys.Cli.Http;

namespace P2P.ApiKeys.Cli.Commands;

/// <summary><c>login</c> (the seed's step 3: <c>POST /admin/token</c>, the token kept in a user-only file) and <c>logout</c>.</summary>
internal static class LoginCommands
{
    public static Command Login(CliCommandContext cli)
    {
        var userName = new Option<string>("--username") { Description = "The admin's user name.", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = $"Read the password from the first line of standard input (also the default when it is a pipe). {CliContext.PasswordVariable} wins over both.",
        };
        var command = new Command("login", "Log in as an admin; the token (valid for minutes) is kept in a file only you can read.") { userName, passwordStdin };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var url = AdminSession.ExplicitUrl(parseResult, cli)
                ?? throw new CliException(ExitCodes.Usage, $"login needs --url (or {CliContext.UrlVariable}).");
            var name = parseResult.GetRequiredValue(userName);
            var password = await PasswordReader.ReadAsync(cli.Context, parseResult.GetValue(passwordStdin), confirm: false, cancellationToken).ConfigureAwait(false);

            using var client = new AdminApiClient(url, credential: null);
            var now = cli.Context.TimeProvider.GetUtcNow();
            var answer = await client.PostFormAsync("admin/token", [new("username", name), new("password", password)], cancellationToken).ConfigureAwait(false);
            if (answer?["access_token"]?.GetValue<string>() is not { Length: > 0 } token || answer["expires_in"]?.GetValue<long>() is not { } expiresIn)
            {
                throw new CliException(ExitCodes.Unavailable, "The API's token response has no access_token or expires_in; is --url the P2P AdminApi?");
            }

            var expiresAt = now.AddSeconds(expiresIn);
            var path = cli.Context.CredentialsPath;
            await CredentialStore.SaveAsync(path, new StoredCredentials(url.AbsoluteUri, name, token, expiresAt), cancellationToken).ConfigureAwait(false);
            output.Result(
                new JsonObject { ["url"] = url.AbsoluteUri, ["username"] = name, ["expires_at"] = expiresAt, ["credentials_file"] = path },
                o => o.WriteLine($"Logged in to {url} as {name} until {expiresAt:u}; the token is in {path} (only you can read it)."));
        });
        return command;
    }

    public static Command Logout(CliCommandContext cli)
    {
        var command = new Command("logout", "Delete the saved admin token.");
        CliApplication.SetAction(command, cli, (parseResult, output, cancellationToken) =>
        {
            var path = cli.Context.CredentialsPath;
            var deleted = CredentialStore.Delete(path);
            output.Result(
                new JsonObject { ["credentials_file"] = path, ["deleted"] = deleted },
                o => o.WriteLine(deleted ? $"Deleted {path}." : "Not logged in."));
            return Task.CompletedTask;
        });
        return command;
    }
}

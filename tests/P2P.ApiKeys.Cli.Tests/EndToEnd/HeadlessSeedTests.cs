using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using P2P.ApiKeys.Cli.Tests.Infrastructure;
using P2P.ApiKeys.Testing;
using P2P.Dashboard.Configuration;

namespace P2P.ApiKeys.Cli.Tests.EndToEnd;

/// <summary>
/// The seed's steps 2–5 without a browser, against the real AdminApi started as its own process: bootstrap, login,
/// <c>keys create --write-env</c>, the dashboard's own settings loader reads the file, the key works, rotate,
/// revoke. The CLI runs in-process through its entry, and once as the real <c>p2p-keys.dll</c>.
/// </summary>
public sealed class HeadlessSeedTests : IAsyncLifetime
{
    private const string Password = "a long pass phrase for the cli";

    private readonly TempFolder _folder = new();
    private AdminApiNode _api = null!;

    public async ValueTask InitializeAsync()
    {
        var dll = AdminApiNode.FindDll(RepositoryRoot.Path, RepositoryRoot.Configuration);
        _api = await AdminApiNode.StartAsync(dll, new Dictionary<string, string>
        {
            ["ApiKeys__ChangeNotifications"] = "none",
            ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task HeadlessSeed_BootstrapLoginCreateRotateRevoke_KeyReachesDashboardSettingsAndNeverTheOutput()
    {
        var cli = new CliRunner(_folder.Path);
        var url = _api.BaseUrl.ToString();

        // Step 2: the first admin, password from the environment.
        cli.Environment["P2P_ADMIN_PASSWORD"] = Password;
        var bootstrap = (await cli.RunAsync("admin", "bootstrap", "--url", url, "--username", "ops")).Succeeded();
        Assert.Contains("ops", bootstrap.Output, StringComparison.Ordinal);
        cli.Environment.Remove("P2P_ADMIN_PASSWORD");

        // A second bootstrap is the API's refusal, on one line, with its exit code.
        var again = await cli.RunWithInputAsync(Password + "\n", "admin", "bootstrap", "--url", url, "--username", "other");
        Assert.Equal(3, again.ExitCode);
        Assert.Single(again.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("p2p-keys: 401", again.Error, StringComparison.Ordinal);

        // Step 3: log in, password piped on standard input; the token file is the user's alone and not in the output.
        var login = (await cli.RunWithInputAsync(Password + "\n", "login", "--url", url, "--username", "ops")).Succeeded();
        FileModes.AssertOwnerOnly(cli.CredentialsPath);
        var token = (string)System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(cli.CredentialsPath, TestContext.Current.CancellationToken))!["access_token"]!;
        Assert.DoesNotContain(token, login.Output + login.Error, StringComparison.Ordinal);

        // Steps 4 and 5 with the real p2p-keys.dll: into an existing, world-readable .env that holds another setting.
        var envFile = _folder.File(".env");
        await File.WriteAllTextAsync(envFile, "API_BASE_URL=" + url + "\nAPI_KEY=\"p2p_old\"\n", TestContext.Current.CancellationToken);
        FileModes.MakeWorldReadable(envFile);
        var created = await RunProcessAsync(cli, "keys", "create", "--name", "Streamlit App Key", "--write-env", envFile, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        FileModes.AssertOwnerOnly(envFile);
        var settings = DashboardSettingsLoader.Load(_folder.Path, _ => null);
        Assert.Equal(envFile, settings.EnvFilePath);
        var key = settings.ApiKey!;
        Assert.StartsWith("p2p_", key, StringComparison.Ordinal);
        Assert.Equal(new Uri(url), settings.ApiBaseUrl);
        Assert.DoesNotContain(key, created.Output + created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("p2p_old", await File.ReadAllTextAsync(envFile, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var keyId = (string)created.Json["id"]!;
        Assert.Null(created.Json["key"]);
        Assert.Equal(HttpStatusCode.OK, await CallWithKeyAsync(key));

        // List and show: metadata only.
        var list = (await cli.RunAsync("keys", "list", "--json")).Succeeded();
        Assert.Contains(keyId, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Output, StringComparison.Ordinal);
        var show = (await cli.RunAsync("keys", "show", keyId)).Succeeded();
        Assert.Contains("Streamlit App Key", show.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, show.Output, StringComparison.Ordinal);

        // Usage history: the hourly buckets of the last 24 hours (counts arrive with the API's next flush), an owner's keys, a bad range.
        var usage = (await cli.RunAsync("keys", "usage", keyId, "--json")).Succeeded();
        Assert.Equal(24, usage.Json["buckets"]!.AsArray().Count);
        Assert.Contains("ALLOWED", (await cli.RunAsync("keys", "usage", keyId, "--granularity", "day")).Succeeded().Output, StringComparison.Ordinal);
        Assert.Contains("Total from", (await cli.RunAsync("keys", "usage", "--owner", "admin")).Succeeded().Output, StringComparison.Ordinal);
        var badRange = await cli.RunAsync("keys", "usage", keyId, "--from", "yesterday");
        Assert.NotEqual(0, badRange.ExitCode);
        Assert.StartsWith("p2p-keys: 400", badRange.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, (await cli.RunAsync("keys", "usage", keyId, "--owner", "admin")).ExitCode);

        // Rotate with an hour of grace, the new key into the same file: both keys work meanwhile.
        var rotated = (await cli.RunAsync("keys", "rotate", keyId, "--grace", "1h", "--write-env", envFile)).Succeeded();
        var newKey = DashboardSettingsLoader.Load(_folder.Path, _ => null).ApiKey!;
        Assert.NotEqual(key, newKey);
        Assert.DoesNotContain(newKey, rotated.Output + rotated.Error, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(envFile, TestContext.Current.CancellationToken), l => l.StartsWith("API_KEY=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await CallWithKeyAsync(key));
        Assert.Equal(HttpStatusCode.OK, await CallWithKeyAsync(newKey));
        var newKeyId = (string)(await cli.RunAsync("keys", "list", "--json", "--state", "active")).Succeeded().Json["items"]![0]!["id"]!;

        // Revoke: refused on the next request; a second revoke is the API's 409, exit code 5.
        (await cli.RunAsync("keys", "revoke", newKeyId)).Succeeded();
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithKeyAsync(newKey));
        var twice = await cli.RunAsync("keys", "revoke", newKeyId, "--json");
        Assert.Equal(5, twice.ExitCode);
        Assert.Equal(409, (int)System.Text.Json.Nodes.JsonNode.Parse(twice.Error)!["status"]!);

        // Without --write-env the key is printed, alone on standard output, once.
        var printed = (await cli.RunAsync("keys", "create", "--name", "printed", "--scope", "p2p:read", "--expires", "30d")).Succeeded();
        var printedKey = printed.Output.Trim();
        Assert.Equal(HttpStatusCode.OK, await CallWithKeyAsync(printedKey));
        Assert.DoesNotContain(printedKey, printed.Error, StringComparison.Ordinal);

        // Automation without a password: an admin API key (admin:keys:*, expiring) in P2P_ADMIN_KEY, sent as X-API-Key.
        var deploy = (await cli.RunAsync(
            "keys", "create", "--name", "deploy", "--scope", "admin:keys:read", "--scope", "admin:keys:write", "--expires", "90d", "--json")).Succeeded();
        var automation = new CliRunner(_folder.Path);
        automation.Environment["P2P_ADMIN_KEY"] = (string)deploy.Json["key"]!;
        automation.Environment["P2P_ADMIN_URL"] = url;
        automation.Environment[P2P.ApiKeys.Cli.CliContext.CredentialsVariable] = _folder.File("no-login.json");
        var ciEnv = _folder.File("ci.env");
        var byKey = (await automation.RunAsync("keys", "create", "--name", "made by the deploy key", "--write-env", ciEnv)).Succeeded();
        FileModes.AssertOwnerOnly(ciEnv);
        var ciKey = (await File.ReadAllTextAsync(ciEnv, TestContext.Current.CancellationToken)).Split('"')[1];
        Assert.Equal(HttpStatusCode.OK, await CallWithKeyAsync(ciKey));
        Assert.DoesNotContain(ciKey, byKey.Output + byKey.Error, StringComparison.Ordinal);
        Assert.Contains("made by the deploy key", (await automation.RunAsync("keys", "list")).Succeeded().Output, StringComparison.Ordinal);
        var escalation = await automation.RunAsync("keys", "create", "--name", "escalate", "--scope", "admin:users:write", "--expires", "30d");
        Assert.Equal(3, escalation.ExitCode); // 403: a key grants only what it holds

        // Unknown id: 404 → exit 4, one line.
        var missing = await cli.RunAsync("keys", "show", Guid.NewGuid().ToString());
        Assert.Equal(4, missing.ExitCode);
        Assert.StartsWith("p2p-keys: 404", missing.Error, StringComparison.Ordinal);
    }

    private async Task<HttpStatusCode> CallWithKeyAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        using var response = await _api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>The real tool: <c>dotnet exec p2p-keys.dll</c> with the runner's environment, standard input closed.</summary>
    private static async Task<CliResult> RunProcessAsync(CliRunner cli, params string[] args)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "tools", "P2P.ApiKeys.Cli", "bin", RepositoryRoot.Configuration, "net10.0", "p2p-keys.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = cli.Folder,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "P2P_ADMIN_KEY", "P2P_ADMIN_URL", "P2P_ADMIN_PASSWORD" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in cli.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await output, await error);
    }
}

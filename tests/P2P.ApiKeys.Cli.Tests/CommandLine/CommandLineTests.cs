using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.ApiKeys.Cli.Files;
using P2P.ApiKeys.Cli.Tests.Infrastructure;

namespace P2P.ApiKeys.Cli.Tests.CommandLine;

/// <summary>What the CLI does before and around the API: usage errors, sessions, transport rules, exit codes.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("frob")]
    [InlineData("keys")]
    [InlineData("keys", "create")]
    [InlineData("keys", "list", "--state", "gone")]
    [InlineData("keys", "create", "--name", "x", "--unknown")]
    public async Task Run_WrongCommandLine_Exit2WithHint(params string[] args)
    {
        var result = await new CliRunner(_folder.Path).RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p2p-keys --help", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Run_Help_Exit0ListsTheCommands()
    {
        var result = (await new CliRunner(_folder.Path).RunAsync("--help")).Succeeded();

        foreach (var command in new[] { "login", "logout", "admin", "keys" })
        {
            Assert.Contains(command, result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("not a url")]
    [InlineData("http://127.0.0.1:8000/?x=1")]
    public async Task Login_UrlNotHttpsOffLoopback_Exit2BeforeAnyRequest(string url)
    {
        var cli = new CliRunner(_folder.Path);
        cli.Environment["P2P_ADMIN_PASSWORD"] = "a long pass phrase";

        var result = await cli.RunAsync("login", "--url", url, "--username", "ops");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("p2p-keys: --url", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.CredentialsPath));
    }

    [Fact]
    public async Task Login_NoPasswordSource_Exit2()
    {
        var result = await new CliRunner(_folder.Path).RunAsync("login", "--url", "http://127.0.0.1:1", "--username", "ops");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("P2P_ADMIN_PASSWORD", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ApiUnreachable_Exit6NoCredentialsWritten()
    {
        var cli = new CliRunner(_folder.Path) { TerminalInput = "a long pass phrase" };

        var result = await cli.RunAsync("login", "--url", "http://127.0.0.1:1", "--username", "ops", "--json");

        Assert.Equal(6, result.ExitCode);
        var error = JsonNode.Parse(result.Error)!;
        Assert.Equal(6, (int)error["exit_code"]!);
        Assert.False(File.Exists(cli.CredentialsPath));
    }

    [Fact]
    public async Task Keys_NotLoggedIn_Exit3()
    {
        var result = await new CliRunner(_folder.Path).RunAsync("keys", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("login", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_TokenExpired_Exit3AskingForLogin()
    {
        var cli = new CliRunner(_folder.Path) { TimeProvider = CliRunner.FakeClock() };
        await CredentialStore.SaveAsync(cli.CredentialsPath, new StoredCredentials("http://127.0.0.1:1/", "ops", "token", cli.TimeProvider.GetUtcNow().AddSeconds(-1)), TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("keys", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("expired", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("token\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_WriteEnvIntoMissingFolder_Exit2BeforeTheKeyIsCreated()
    {
        var cli = new CliRunner(_folder.Path);
        cli.Environment["P2P_ADMIN_KEY"] = "p2p_admin_key";
        cli.Environment["P2P_ADMIN_URL"] = "http://127.0.0.1:1";

        var result = await cli.RunAsync("keys", "create", "--name", "x", "--write-env", _folder.File("missing/.env"));

        Assert.Equal(2, result.ExitCode); // not 6: the API was never called
    }

    [Fact]
    public async Task Keys_AdminKeyInEnvironment_SentAsXApiKeyWithoutLogin()
    {
        // A stand-in for the admin endpoints that only answers the admin key (the real check is the API's own tests).
        await using var api = await StubApiAsync();
        var cli = new CliRunner(_folder.Path);
        cli.Environment["P2P_ADMIN_KEY"] = "p2p_adminkey_secret";
        cli.Environment["P2P_ADMIN_URL"] = BaseUrl(api);

        var list = (await cli.RunAsync("keys", "list", "--json")).Succeeded();
        Assert.Equal(0, (int)list.Json["total"]!);

        cli.Environment["P2P_ADMIN_KEY"] = "p2p_wrong";
        var refused = await cli.RunAsync("keys", "list");
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal("p2p-keys: 401 Unauthorized: No admin key.", refused.Error.TrimEnd());
        Assert.DoesNotContain("p2p_wrong", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_ApiRedirects_NotFollowedExit6()
    {
        await using var api = await StubApiAsync();
        var cli = new CliRunner(_folder.Path);
        cli.Environment["P2P_ADMIN_KEY"] = "p2p_adminkey_secret";

        var result = await cli.RunAsync("--url", BaseUrl(api) + "redirect/", "keys", "list");

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("not followed", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<WebApplication> StubApiAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/admin/keys/", (HttpContext context) => context.Request.Headers["X-API-Key"] == "p2p_adminkey_secret"
            ? Results.Json(new { items = Array.Empty<object>(), page = 1, page_size = 20, total = 0 })
            : Results.Problem(statusCode: 401, title: "Unauthorized", detail: "No admin key."));
        app.MapGet("/redirect/admin/keys/", () => Results.Redirect("http://127.0.0.1:1/elsewhere"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
}

using P2P.Tests.Shared;

namespace P2P.ApiKeys.PackageTests;

/// <summary>
/// The <c>p2p-keys</c> CLI as a user gets it: packed as a .NET tool, installed from a private feed into a tool path,
/// and run by its command name.
/// </summary>
public sealed partial class ConsumerPackageTests
{
    [Fact(Skip = PackageSkip, SkipUnless = nameof(FullTests.Enabled), SkipType = typeof(FullTests))]
    public async Task CliTool_PackedAndInstalled_RunsAsP2pKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        var repo = FindRepositoryRoot();
        var work = Directory.CreateTempSubdirectory("p2p-cli-tool-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var version = $"0.0.0-ci.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
            var project = Path.Combine(repo, "tools", "P2P.ApiKeys.Cli", "P2P.ApiKeys.Cli.csproj");
            var (packCode, packOutput) = await ProcessRunner.RunAsync("dotnet", $"pack \"{project}\" -c Release -o \"{feed}\" -p:Version={version}", repo, BuildTimeout);
            Assert.True(packCode == 0, $"dotnet pack P2P.ApiKeys.Cli failed:\n{packOutput}");
            Assert.DoesNotContain(": warning ", packOutput, StringComparison.Ordinal);
            AssertPackageContents(Path.Combine(feed, $"P2P.ApiKeys.Cli.{version}.nupkg"), "DotnetToolSettings.xml", "p2p-keys.dll", "README.md");

            var config = Path.Combine(work.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="p2p-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """, ct);
            var tools = Path.Combine(work.FullName, "tools");
            var (installCode, installOutput) = await ProcessRunner.RunAsync(
                "dotnet", $"tool install P2P.ApiKeys.Cli --version {version} --tool-path \"{tools}\" --configfile \"{config}\"", work.FullName, BuildTimeout);
            Assert.True(installCode == 0, $"dotnet tool install failed:\n{installOutput}");

            var (helpCode, help) = await ProcessRunner.RunAsync(Path.Combine(tools, "p2p-keys"), "--help", work.FullName, BuildTimeout);
            Assert.True(helpCode == 0, help);
            Assert.Contains("keys", help, StringComparison.Ordinal);

            // Not logged in: the documented exit code 3, one line.
            var (listCode, list) = await ProcessRunner.RunAsync(
                Path.Combine(tools, "p2p-keys"), "keys list", work.FullName, BuildTimeout,
                new Dictionary<string, string> { ["P2P_KEYS_CREDENTIALS"] = Path.Combine(work.FullName, "none.json"), ["P2P_ADMIN_KEY"] = "" });
            Assert.True(listCode == 3, list);
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

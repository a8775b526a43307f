namespace P2P.ApiKeys.PackageTests;

/// <summary>
/// The change-notifier packages as a consumer gets them: packed with README, XML docs and symbols, installed from a
/// private feed into a fresh web project outside the solution that registers both notifiers in one line each, and
/// built with warnings as errors.
/// </summary>
public sealed partial class ConsumerPackageTests
{
    [Fact]
    public async Task NotifierPackages_BuiltFromPackedPackages_RegisterInOneLineEach()
    {
        var ct = TestContext.Current.CancellationToken;
        var repo = FindRepositoryRoot();
        var work = Directory.CreateTempSubdirectory("p2p-notifier-consumer-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var version = $"0.0.0-ci.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
            foreach (var project in new[] { "P2P.ApiKeys", "P2P.ApiKeys.PostgreSql", "P2P.ApiKeys.Redis" })
            {
                await PackAsReadmeSaysAsync(repo, project, feed, version);
            }

            foreach (var package in new[] { "P2P.ApiKeys.PostgreSql", "P2P.ApiKeys.Redis" })
            {
                AssertPackageContents(Path.Combine(feed, $"{package}.{version}.nupkg"), package + ".dll", package + ".xml", "README.md");
                Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.snupkg")), $"{package}: symbol package missing");
            }

            var app = await WriteConsumerProjectAsync(
                work.FullName, "NotifierConsumer", feed, version, ["P2P.ApiKeys", "P2P.ApiKeys.PostgreSql", "P2P.ApiKeys.Redis"], ct);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                using P2P.ApiKeys;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddApiKeyAuth(o => o.CacheTtl = TimeSpan.FromMinutes(1))
                    .AddInMemoryStores()
                    .AddPostgreSqlChangeNotifications("Host=127.0.0.1;Database=app", o => o.Channel = "app_key_changes")
                    .AddRedisChangeNotifications("127.0.0.1:6379", o => o.Channel = "app:key-changes");

                var app = builder.Build();
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/data", () => "ok").RequireApiKeyScope("p2p:read");
                app.Run();
                """, ct);

            var (buildCode, buildOutput) = await ProcessRunner.RunAsync("dotnet", "build -c Release", app, BuildTimeout);
            Assert.True(buildCode == 0, $"A consumer of the notifier packages does not build:\n{buildOutput}");
            Assert.DoesNotContain(": warning ", buildOutput, StringComparison.Ordinal);
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

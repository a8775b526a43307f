using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.SecretScanning;

namespace P2P.ApiKeys.Tests.SecretScanning;

/// <summary>Start-up: wrong settings fail with a message that names them; endpoints exist only for configured scanners.</summary>
public sealed class SecretScanningRegistrationTests
{
    public static TheoryData<string, string> WrongSettings() => new()
    {
        { "SecretScanning:GitHub:PublicKeysFile", "missing file" },
        { "SecretScanning:GitHub:PublicKeysUrl", "http url" },
        { "SecretScanning:GitLab:SharedSecret", "short secret" },
        { "SecretScanning:TokenType", "empty type" },
        { "SecretScanning:MaxRequestBodyBytes", "tiny body" },
        { "SecretScanning:MaxMatches", "no matches" },
        { "SecretScanning:Action", "unknown action" },
    };

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public async Task Start_WrongSetting_FailsNamingIt(string setting, string how)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o =>
        {
            o.GitLab.SharedSecret = new string('s', 32);
            switch (how)
            {
                case "missing file": o.GitHub.PublicKeysFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")); break;
                case "http url": o.GitHub.PublicKeysUrl = new Uri("http://keys.example/keys.json"); break;
                case "short secret": o.GitLab.SharedSecret = "short"; break;
                case "empty type": o.TokenType = " "; break;
                case "tiny body": o.MaxRequestBodyBytes = 10; break;
                case "no matches": o.MaxMatches = 0; break;
                case "unknown action": o.Action = (SecretScanningAction)7; break;
            }
        }));

        Assert.Contains(setting, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_NoScannerConfigured_FailsClearly()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(_ => { }));

        Assert.Contains("no scanner", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_WithoutAddSecretScanning_FailsClearly()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddApiKeyAuth().AddInMemoryStores();
        await using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapSecretScanningEndpoints());

        Assert.Contains("AddSecretScanning", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_GitLabOnly_GitHubRouteNotMapped()
    {
        await using var app = await StartAsync(o => o.GitLab.SharedSecret = new string('s', 32));

        using var response = await app.GetTestClient().PostAsync(new Uri("/secret-scanning/github", UriKind.Relative), new StringContent("[]"), TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void AddSecretScanning_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddApiKeyAuth().AddSecretScanning().AddSecretScanning(o => o.Action = SecretScanningAction.Report);

        Assert.Single(services, d => d.ServiceType == typeof(SecretScanningEndpoints));
        using var provider = services.AddLogging().BuildServiceProvider();
        Assert.Equal(SecretScanningAction.Report, provider.GetRequiredService<IOptions<SecretScanningOptions>>().Value.Action);
    }

    private static async Task<WebApplication> StartAsync(Action<SecretScanningOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddApiKeyAuth().AddInMemoryStores().AddSecretScanning(configure);
        var app = builder.Build();
        try
        {
            app.MapSecretScanningEndpoints();
            await app.StartAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}

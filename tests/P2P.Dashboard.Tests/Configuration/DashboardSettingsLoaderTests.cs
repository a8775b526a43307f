using P2P.Dashboard.Configuration;
using P2P.Dashboard.Tests.Infrastructure;

namespace P2P.Dashboard.Tests.Configuration;

public sealed class DashboardSettingsLoaderTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Load_EnvFileInCurrentDirectory_ReadsKeyAndUrl()
    {
        using var dir = new TempDirectory();
        var key = TestKeys.New();
        dir.WriteEnvFile($"API_KEY=\"{key}\"", "API_BASE_URL=http://127.0.0.1:9123");

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.Equal(key, settings.ApiKey);
        Assert.Equal(new Uri("http://127.0.0.1:9123/"), settings.ApiBaseUrl);
        Assert.Equal(ApiKeyStatus.Present, settings.KeyStatus);
        Assert.Equal(Path.Combine(dir.Path, ".env"), settings.EnvFilePath);
    }

    [Fact]
    public void Load_EnvironmentVariableSet_WinsOverEnvFile()
    {
        using var dir = new TempDirectory();
        var fileKey = TestKeys.New();
        var envKey = TestKeys.New();
        dir.WriteEnvFile($"API_KEY={fileKey}", "API_BASE_URL=http://127.0.0.1:1");
        var environment = new Dictionary<string, string> { ["API_KEY"] = envKey, ["API_BASE_URL"] = "https://api.internal:8000" };

        var settings = DashboardSettingsLoader.Load(dir.Path, environment.GetValueOrDefault);

        Assert.Equal(envKey, settings.ApiKey);
        Assert.Equal(new Uri("https://api.internal:8000/"), settings.ApiBaseUrl);
    }

    [Fact]
    public void Load_EnvironmentVariableEmpty_FallsBackToEnvFile()
    {
        using var dir = new TempDirectory();
        var fileKey = TestKeys.New();
        dir.WriteEnvFile($"API_KEY={fileKey}");

        var settings = DashboardSettingsLoader.Load(dir.Path, name => name == "API_KEY" ? "" : null);

        Assert.Equal(fileKey, settings.ApiKey);
    }

    [Fact]
    public void Load_NoEnvFileAnywhere_KeyMissingAndDefaultUrl()
    {
        using var dir = new TempDirectory();

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.Null(settings.ApiKey);
        Assert.Equal(ApiKeyStatus.Missing, settings.KeyStatus);
        Assert.Equal(new Uri("http://127.0.0.1:8000/"), settings.ApiBaseUrl);
        Assert.Null(settings.EnvFilePath);
    }

    [Fact]
    public void Load_NoEnvFileInCurrentDirectory_UsesRepositoryRootFile()
    {
        using var root = new TempDirectory();
        File.WriteAllText(Path.Combine(root.Path, "P2P.ApiKeys.sln"), "");
        var key = TestKeys.New();
        root.WriteEnvFile($"API_KEY={key}");
        var nested = Directory.CreateDirectory(Path.Combine(root.Path, "samples", "Dashboard")).FullName;

        var settings = DashboardSettingsLoader.Load(nested, NoEnvironment);

        Assert.Equal(key, settings.ApiKey);
        Assert.Equal(Path.Combine(root.Path, ".env"), settings.EnvFilePath);
    }

    [Fact]
    public void Load_EnvFilesInCurrentDirectoryAndRoot_CurrentDirectoryWins()
    {
        using var root = new TempDirectory();
        File.WriteAllText(Path.Combine(root.Path, "P2P.ApiKeys.sln"), "");
        root.WriteEnvFile($"API_KEY={TestKeys.New()}");
        var nested = Directory.CreateDirectory(Path.Combine(root.Path, "samples", "Dashboard")).FullName;
        var nearKey = TestKeys.New();
        File.WriteAllText(Path.Combine(nested, ".env"), $"API_KEY={nearKey}\n");

        var settings = DashboardSettingsLoader.Load(nested, NoEnvironment);

        Assert.Equal(nearKey, settings.ApiKey);
    }

    [Fact]
    public void Load_LoadingEnvFile_DoesNotWriteProcessEnvironment()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile("P2P_DASHBOARD_TEST_ONLY=1");

        DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.Null(Environment.GetEnvironmentVariable("P2P_DASHBOARD_TEST_ONLY"));
    }

    [Theory]
    [InlineData("sk_live_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("p2p_short")]
    [InlineData("p2p_abcdefghijkl_with space")]
    [InlineData("Bearer p2p_abcdefghijkl_abcdef")]
    public void Load_MalformedKey_StatusMalformedAndNoPublicPart(string value)
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY=\"{value}\"");

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.Equal(ApiKeyStatus.Malformed, settings.KeyStatus);
        Assert.Null(settings.KeyPublicPart);
        Assert.False(settings.IsUsable);
    }

    [Fact]
    public void Load_InvalidBaseUrl_NotUsableWithClearMessage()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={TestKeys.New()}", "API_BASE_URL=localhost:8000");

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.False(settings.IsUsable);
        Assert.Contains("API_BASE_URL must be an absolute http(s) URL", settings.ApiBaseUrlError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.example.com:8000")]
    [InlineData("http://10.0.0.5")]
    [InlineData("http://gateway.internal/p2p")]
    public void Load_PlainHttpToAnotherMachine_NotUsableWithClearMessage(string url)
    {
        // docs/security.md rule 26: the key would cross the network in clear text.
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={TestKeys.New()}", $"API_BASE_URL={url}");

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.False(settings.IsUsable);
        Assert.Contains("API_BASE_URL must use https", settings.ApiBaseUrlError, StringComparison.Ordinal);
        Assert.Contains(url, settings.ApiBaseUrlError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8000", "http://localhost:8000/")]
    [InlineData("http://127.0.0.1:8000", "http://127.0.0.1:8000/")]
    [InlineData("http://[::1]:8000", "http://[::1]:8000/")]
    [InlineData("https://api.example.com", "https://api.example.com/")]
    public void Load_HttpsOrLoopbackHttp_IsUsable(string url, string expected)
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={TestKeys.New()}", $"API_BASE_URL={url}");

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.True(settings.IsUsable, settings.ApiBaseUrlError);
        Assert.Equal(new Uri(expected), settings.ApiBaseUrl);
    }

    [Fact]
    public void Load_BaseUrlWithPath_KeepsPathForRelativeRequests()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile("API_BASE_URL=https://gateway.internal/p2p");

        var settings = DashboardSettingsLoader.Load(dir.Path, NoEnvironment);

        Assert.Equal(new Uri("https://gateway.internal/p2p/api/p2p/summary"), new Uri(settings.ApiBaseUrl, "api/p2p/summary"));
    }

    [Fact]
    public void ToString_ValidKey_ShowsOnlyPublicPart()
    {
        var key = TestKeys.New();

        var text = new DashboardSettings(key, new Uri("http://127.0.0.1:8000/"), null).ToString();

        Assert.Contains(TestKeys.PublicPart(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
    }
}

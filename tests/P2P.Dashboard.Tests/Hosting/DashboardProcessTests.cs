using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2P.Dashboard.Tests.Infrastructure;

namespace P2P.Dashboard.Tests.Hosting;

/// <summary>
/// The dashboard as a real process, read over plain HTTP (no browser needed): where it takes its
/// settings from, and that the key never leaves the server — not in the HTML, not in the log.
/// </summary>
public sealed class DashboardProcessTests : IAsyncLifetime
{
    private readonly string _key = TestKeys.New();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private StubP2PApi _api = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _api = await StubP2PApi.StartAsync(_key);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Start_PortInUse_SaysSoInOneLineAndExitsWith1()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var dir = new TempDirectory();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", RepositoryPaths.DashboardDll, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("API_KEY");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(
            $"Cannot listen on http://127.0.0.1:{port}: port {port} is already in use. Stop the other process, or start this one on another port, e.g. --urls http://127.0.0.1:{port + 10}",
            (await stderr).Trim());
        Assert.DoesNotContain("Exception", await stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_EnvFileInWorkingDirectory_ShowsApiDataWithoutLeakingKey()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY=\"{_key}\"", $"API_BASE_URL={_api.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);

        using var response = await _http.GetAsync(dashboard.BaseUrl, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("$1,234,567.89", html, StringComparison.Ordinal);
        // docs/security.md rule 25: HTML pages cannot be framed and are never sniffed.
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(TestKeys.PublicPart(_key), html, StringComparison.Ordinal);
        Assert.DoesNotContain(_key, html, StringComparison.Ordinal);
        Assert.Contains(_api.Requests, r => r.Request == "GET /api/p2p/summary" && r.HadExpectedKey);
        Assert.DoesNotContain(_key, dashboard.Output, StringComparison.Ordinal);
        Assert.Contains(TestKeys.PublicPart(_key), dashboard.Output, StringComparison.Ordinal);

        // A healthy run logs nothing alarming: no data-protection warning, no resilience line per API call.
        Assert.DoesNotContain("No XML encryptor configured", dashboard.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Polly", dashboard.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", dashboard.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_ApiDown_LogsOneLinePerCallAndNoStackTrace()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY=\"{_key}\"", $"API_BASE_URL={_api.BaseUrl}");
        await _api.StopAsync();
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);

        using var response = await _http.GetAsync(dashboard.BaseUrl, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("Cannot reach the API", html, StringComparison.Ordinal);
        var output = dashboard.Output;
        Assert.Contains($"Cannot reach the P2P API at {_api.BaseUrl} for api/p2p/summary: HttpRequestException", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Polly", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotnetRun_EnvFileInTheFolderItWasStartedFrom_IsTheOneRead()
    {
        // `dotnet run` starts apps in their project folder unless told otherwise; the docs promise the .env of the
        // folder the command was typed in.
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY=\"{_key}\"", $"API_BASE_URL={_api.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path, viaDotnetRun: true);

        using var response = await _http.GetAsync(dashboard.BaseUrl, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("$1,234,567.89", html, StringComparison.Ordinal);
        // docs/security.md rule 25: HTML pages cannot be framed and are never sniffed.
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain(_key, html, StringComparison.Ordinal);
        Assert.Contains(_api.Requests, r => r.Request == "GET /api/p2p/summary" && r.HadExpectedKey);
    }

    [Fact]
    public async Task Overview_EnvironmentVariablesSet_WinOverEnvFile()
    {
        using var dir = new TempDirectory();
        // The file points at nothing and carries a key the stub rejects: only the variables can make this page work.
        dir.WriteEnvFile($"API_KEY={TestKeys.New()}", "API_BASE_URL=http://127.0.0.1:9/");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["API_KEY"] = _key,
            ["API_BASE_URL"] = _api.BaseUrl.ToString(),
        });

        using var response = await _http.GetAsync(dashboard.BaseUrl, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("$1,234,567.89", html, StringComparison.Ordinal);
        // docs/security.md rule 25: HTML pages cannot be framed and are never sniffed.
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("data-failure", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_NoKeyAnywhere_RedirectsToSetup()
    {
        using var empty = new TempDirectory();
        await using var dashboard = await DashboardProcess.StartAsync(empty.Path);

        using var response = await _http.GetAsync(dashboard.BaseUrl, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.OriginalString);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Setup_InvalidBaseUrl_ExplainsInsteadOfCrashing()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={_key}", "API_BASE_URL=localhost:8000");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);

        using var home = await _http.GetAsync(dashboard.BaseUrl, Ct);
        var setup = await _http.GetStringAsync(new Uri(dashboard.BaseUrl, "setup"), Ct);

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("API_BASE_URL is not usable", setup, StringComparison.Ordinal);
        Assert.DoesNotContain(_key, setup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_ApiStoreDown_ShowsRetryableApiError()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={_key}", $"API_BASE_URL={_api.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);
        _api.Mode = StubMode.StoreDown;

        var html = await _http.GetStringAsync(dashboard.BaseUrl, Ct);

        Assert.Contains("data-failure=\"api-error\"", html, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task Overview_KeyRateLimited_SaysRetryInSeconds()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={_key}", $"API_BASE_URL={_api.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);
        _api.Mode = StubMode.RateLimited;

        var html = await _http.GetStringAsync(dashboard.BaseUrl, Ct);

        Assert.Contains("data-failure=\"rate-limited\"", html, StringComparison.Ordinal);
        Assert.Contains("Rate limited — retry in 17 s", html, StringComparison.Ordinal);
        Assert.DoesNotContain(_key, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_Running_AnswersHealthyEvenWithoutKey()
    {
        using var empty = new TempDirectory();
        await using var dashboard = await DashboardProcess.StartAsync(empty.Path);

        var body = await _http.GetStringAsync(new Uri(dashboard.BaseUrl, "healthz"), Ct);

        Assert.Equal("Healthy", body);
    }

    [Fact]
    public async Task UnknownPage_Requested_FriendlyNotFound()
    {
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={_key}", $"API_BASE_URL={_api.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);

        using var response = await _http.GetAsync(new Uri(dashboard.BaseUrl, "no-such-page"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

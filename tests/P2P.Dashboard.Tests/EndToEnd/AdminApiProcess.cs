using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using P2P.Dashboard.Tests.Infrastructure;

namespace P2P.Dashboard.Tests.EndToEnd;

/// <summary>
/// The real samples/AdminApi started as its own process on 127.0.0.1 and a free port, as an operator runs the
/// built DLL: Production, a random <c>Admin__SigningKey</c>, and <c>DataDirectory</c> in a fresh temp folder
/// (its SQLite file lives there), so nothing of the developer's own data directory is read or written.
/// </summary>
internal sealed class AdminApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly TempDirectory _dataDirectory;
    private readonly StringBuilder _output = new();

    private AdminApiProcess(Process process, TempDirectory dataDirectory, Uri baseUrl)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Everything the AdminApi wrote to stdout and stderr so far (its log).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>samples/AdminApi as built next to its project by the test project's build-only reference.</summary>
    public static string Dll
    {
        get
        {
            var configuration = typeof(AdminApiProcess).Assembly
                .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = Path.Combine(RepositoryPaths.Root, "samples", "AdminApi", "bin", configuration, "net10.0", "AdminApi.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build samples/AdminApi first.", dll);
        }
    }

    public static async Task<AdminApiProcess> StartAsync()
    {
        var dataDirectory = new TempDirectory();
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dataDirectory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl.ToString().TrimEnd('/'));

        foreach (var name in new[] { "ASPNETCORE_URLS", "ConnectionStrings__ApiKeys", "Database__Provider", "API_KEY" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["DataDirectory"] = dataDirectory.Path;
        start.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = start };
        var api = new AdminApiProcess(process, dataDirectory, baseUrl);
        process.OutputDataReceived += (_, e) => api.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => api.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await api.WaitUntilHealthyAsync();
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        _dataDirectory.Dispose();
    }

    /// <summary>Polls <c>/healthz</c> (database check included) until 200, failing fast if the process exits.</summary>
    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The AdminApi exited ({_process.ExitCode}) before answering:\n" + Output);
            }

            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The AdminApi did not become healthy at {BaseUrl} within {StartTimeout}:\n" + Output);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A port the OS just handed out; the tiny race until Kestrel binds it is acceptable on 127.0.0.1.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

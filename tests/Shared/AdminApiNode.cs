using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace P2P.ApiKeys.Testing;

/// <summary>
/// One node of a multi-node deployment: the built samples/AdminApi started as its own process (<c>dotnet exec</c>)
/// on 127.0.0.1 and a free port, as an operator runs it, with the settings given as environment variables and its
/// data directory in a fresh temporary folder. <see cref="StartAsync"/> returns once <c>/healthz</c> answers 200
/// and the node's change notifier (if any) listens. Used by the multi-node tests and the propagation benchmark.
/// </summary>
public sealed class AdminApiNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly StringBuilder _output = new();

    private AdminApiNode(Process process, string dataDirectory, Uri baseUrl)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    /// <summary>A client on this node's address.</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the node wrote to stdout and stderr so far (its console log).</summary>
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

    /// <summary>The built samples/AdminApi/bin/{configuration}/net10.0/AdminApi.dll under <paramref name="repositoryRoot"/>.</summary>
    public static string FindDll(string repositoryRoot, string configuration)
    {
        var dll = Path.Combine(repositoryRoot, "samples", "AdminApi", "bin", configuration, "net10.0", "AdminApi.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build samples/AdminApi first.", dll);
    }

    /// <summary>
    /// Starts the node with <paramref name="settings"/> as environment variables (<c>Section__Key</c> names), in
    /// Production, and waits until it is healthy and, unless <c>ApiKeys__ChangeNotifications</c> is <c>none</c>,
    /// until its notifier listens (log event 1103).
    /// </summary>
    public static async Task<AdminApiNode> StartAsync(string dll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("p2p-node-").FullName;
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl.ToString().TrimEnd('/'));
        foreach (var name in new[] { "ASPNETCORE_URLS", "ConnectionStrings__ApiKeys", "ConnectionStrings__Redis", "Database__Provider", "ApiKeys__ChangeNotifications" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DataDirectory"] = dataDirectory;
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Request logging off: the benchmark calls thousands of times and the nodes share two cores.
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var node = new AdminApiNode(process, dataDirectory, baseUrl);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var notifies = !settings.TryGetValue("ApiKeys__ChangeNotifications", out var notifier) || !string.Equals(notifier, "none", StringComparison.OrdinalIgnoreCase);
            await node.WaitUntilReadyAsync(notifies, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return node;
    }

    /// <summary>Completes when the node has logged event <paramref name="eventId"/> <paramref name="times"/> times.</summary>
    public async Task WaitForLogEventAsync(int eventId, int times, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var marker = $"[{eventId}]";
        var deadline = Stopwatch.StartNew();
        while (CountOccurrences(Output, marker) < times)
        {
            if (deadline.Elapsed > timeout || _process.HasExited)
            {
                throw new TimeoutException($"The node at {BaseUrl} did not log event {eventId} {times} time(s) within {timeout}:\n{Output}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the process at once, as <c>kill -9</c> does (SIGKILL on Unix: no shutdown, no flush, no hosted service's
    /// StopAsync), and waits until it is gone. The data directory stays; <see cref="DisposeAsync"/> removes it.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (TimeoutException)
        {
            // Killed; the OS reaps it.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task WaitUntilReadyAsync(bool notifies, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The AdminApi exited ({_process.ExitCode}) before answering:\n{Output}");
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The AdminApi did not become ready at {BaseUrl} within {StartTimeout}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK && (!notifies || Output.Contains("[1103]", StringComparison.Ordinal)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
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

    private static int CountOccurrences(string text, string marker)
    {
        var count = 0;
        for (var i = text.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>A port the OS just handed out; the tiny race until Kestrel binds it is acceptable on 127.0.0.1.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

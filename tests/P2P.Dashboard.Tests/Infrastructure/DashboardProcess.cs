using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace P2P.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard started for real, as its own process on Kestrel at 127.0.0.1 and a free port, with a
/// working directory of the test's choosing, so that its <c>.env</c> loading (current directory, then
/// environment variables winning) is exercised exactly as a user runs it.
/// </summary>
internal sealed partial class DashboardProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DashboardProcess(Process process) => _process = process;

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>Everything the dashboard wrote to stdout and stderr so far (its log).</summary>
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

    /// <param name="workingDirectory">Where the dashboard looks for <c>.env</c> first.</param>
    /// <param name="environment">Variables to set; <c>API_KEY</c> and <c>API_BASE_URL</c> are otherwise removed.</param>
    /// <param name="viaDotnetRun">
    /// Start it as the docs say, <c>dotnet run --project samples/Dashboard</c> (without building again), instead of
    /// <c>dotnet exec</c> on the built DLL.
    /// </param>
    public static async Task<DashboardProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, bool viaDotnetRun = false)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (viaDotnetRun)
        {
            start.ArgumentList.Add("run");
            start.ArgumentList.Add("--no-build");
            start.ArgumentList.Add("--no-launch-profile");
            start.ArgumentList.Add("--project");
            start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "samples", "Dashboard"));
            start.ArgumentList.Add("--");
        }
        else
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(RepositoryPaths.DashboardDll);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");

        // Nothing of the developer's own setup may leak in: the test decides what the dashboard sees.
        start.Environment.Remove("API_KEY");
        start.Environment.Remove("API_BASE_URL");
        // Development loads the static web assets manifest, so CSS and blazor.web.js resolve from any directory.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var dashboard = new DashboardProcess(process);
        process.OutputDataReceived += (_, e) => dashboard.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => dashboard.OnLine(e.Data);
        process.Exited += (_, _) => dashboard._listening.TrySetException(
            new InvalidOperationException("The dashboard exited before listening:\n" + dashboard.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            dashboard.BaseUrl = await dashboard._listening.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }

        return dashboard;
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

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}

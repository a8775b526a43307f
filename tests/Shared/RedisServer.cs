using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace P2P.ApiKeys.Testing;

/// <summary>
/// A real <c>redis-server</c> process of the test's own, on a free loopback port, with its data in a temporary
/// folder (append-only file on, so a restart keeps the data). <see cref="StopAsync"/> and <see cref="StartAsync"/>
/// stop and restart it on the same port for outage tests. Without <c>redis-server</c> on PATH (or in
/// <c>P2P_REDIS_SERVER</c>) the calling test skips, or fails under <c>P2P_REQUIRE_INFRA=1</c> (CI).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _executable;
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string executable, int port)
    {
        _executable = executable;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("p2p-redis-").FullName;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a new server, or skips (fails under CI) the calling test when <c>redis-server</c> is absent.</summary>
    public static async Task<RedisServer> StartNewAsync()
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            const string reason = "redis-server was not found on PATH (install the Debian package redis-server, or set P2P_REDIS_SERVER).";
            if (Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1")
            {
                Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
            }

            Assert.Skip(reason);
        }

        var server = new RedisServer(executable!, FreePort());
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (or restarts) the process on the same port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", _directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                     "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                await using var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException) when (!timeout.IsCancellationRequested)
            {
            }
            catch (IOException) when (!timeout.IsCancellationRequested)
            {
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}.");
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Kills the process (as a crash would) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("P2P_REDIS_SERVER") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

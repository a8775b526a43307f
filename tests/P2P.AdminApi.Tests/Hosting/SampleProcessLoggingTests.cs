using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Hosting;

/// <summary>
/// docs/security.md rule 24 in the hosting shape the attack run used: the built sample started as its own process from
/// another working folder, in Production, here with every category at Trace (as any log configuration might
/// have it). Its content root is still its own folder, no log line holds a key or a token sent in the query
/// string, and an encoded CR/LF in a path cannot start a log line.
/// </summary>
public sealed class SampleProcessLoggingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Process_StartedFromAnotherFolderWithTraceLogging_OwnContentRootAndNoSecretOrForgedLineInItsLog()
    {
        var configuration = typeof(SampleProcessLoggingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryRoot.Path, "samples", "AdminApi", "bin", configuration, "net10.0", "AdminApi.dll");
        var workingDirectory = Directory.CreateTempSubdirectory("p2p-adminapi-cwd-").FullName;
        var dataDirectory = Directory.CreateTempSubdirectory("p2p-adminapi-data-").FullName;
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", dll, "--urls", baseUrl.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_CONTENTROOT", "ConnectionStrings__ApiKeys", "Database__Provider" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Trace";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
            await WaitForAsync(async () =>
            {
                try
                {
                    using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
                    return health.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            });

            using (await client.GetAsync(new Uri("/api/p2p/summary?api_key=p2p_SECRETLOOKUP_SECRETQUERYKEY123", UriKind.Relative), Ct))
            using (await client.GetAsync(new Uri("/admin/keys/?access_token=eyJhbGciOiJIUzI1NiJ9.SECRETJWTBODY.sig", UriKind.Relative), Ct))
            using (await client.GetAsync(new Uri("/api/x%0D%0AFORGED%20entry", UriKind.Relative), Ct))
            {
            }

            // A request line Kestrel itself rejects (400 before any context exists).
            using (var raw = new TcpClient())
            {
                await raw.ConnectAsync(baseUrl.Host, baseUrl.Port, Ct);
                var stream = raw.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /api/p2p/summary?api_key=SECRETREQUESTLINE junk HTTP/1.1\r\nHost: x\r\n\r\n"), Ct);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, Ct);
                Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
            }

            using (await client.GetAsync(new Uri("/api/x%0D%0AFORGED%20entry", UriKind.Relative), Ct))
            {
            }

            // The second forged request's "Request finished" line is the signal that the log holds everything before it.
            await WaitForAsync(() => Task.FromResult(Text().Split('\n')
                .Count(line => line.Contains("FORGED", StringComparison.Ordinal) && line.Contains(" - 404 ", StringComparison.Ordinal)) >= 2));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            Directory.Delete(workingDirectory, recursive: true);
            Directory.Delete(dataDirectory, recursive: true);
        }

        var log = Text();
        Assert.Contains($"Content root path: {Path.GetDirectoryName(dll)}", log, StringComparison.Ordinal);
        Assert.Contains("api_key=redacted", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETQUERYKEY", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETLOOKUP", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETJWTBODY", log, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETREQUESTLINE", log, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Split('\n'), line => line.TrimStart().StartsWith("FORGED", StringComparison.Ordinal));

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.Append(line).Append('\n');
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        async Task WaitForAsync(Func<Task<bool>> condition)
        {
            var clock = Stopwatch.StartNew();
            while (!await condition())
            {
                Assert.False(process.HasExited, "The sample exited:\n" + Text());
                Assert.True(clock.Elapsed < Timeout, "Timed out; the sample's output:\n" + Text());
                await Task.Delay(100, Ct);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

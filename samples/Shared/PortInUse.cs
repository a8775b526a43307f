using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace P2P.Samples.Hosting;

/// <summary>
/// Shared by both samples (linked into each project). A port already in use, said in one line before the host starts, instead of Kestrel's "Hosting failed to start"
/// and an unhandled-exception stack trace.
/// </summary>
internal static class PortInUse
{
    /// <summary>
    /// <see cref="Check(IConfiguration, TextWriter)"/> for the app's own URLs, only when its server is Kestrel, i.e. really
    /// binds sockets. Under a test server (<c>WebApplicationFactory</c>) nothing is bound: a port taken by a running sample
    /// is no reason to stop there, and stopping would fail every in-memory test while the sample runs.
    /// </summary>
    public static bool Check(WebApplication app, TextWriter error) =>
        BindsSockets(app.Services.GetRequiredService<IServer>()) && Check(app.Configuration, error);

    /// <summary>True for Kestrel (whose server types live beside <see cref="KestrelServerOptions"/>), false for any other server.</summary>
    public static bool BindsSockets(IServer server) => server.GetType().Assembly == typeof(KestrelServerOptions).Assembly;

    /// <summary>
    /// Tries to listen on the address and port of each configured URL (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, the launch
    /// profile); on the first that is taken writes one line to <paramref name="error"/> and returns true. Port 0,
    /// host names other than localhost and unparsable values are left to Kestrel.
    /// </summary>
    public static bool Check(IConfiguration configuration, TextWriter error)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Port <= 0)
            {
                continue;
            }

            var address = uri.IsLoopback && uri.Host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null;
            if (address is null)
            {
                continue;
            }

            try
            {
                var listener = new TcpListener(address, uri.Port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                error.WriteLine(
                    $"Cannot listen on {url}: port {uri.Port} is already in use. Stop the other process, or start this one on "
                    + $"another port, e.g. --urls {uri.Scheme}://127.0.0.1:{uri.Port + 10}");
                return true;
            }
        }

        return false;
    }
}

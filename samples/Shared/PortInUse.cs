using System.Net;
using System.Net.Sockets;

namespace P2P.Samples.Hosting;

/// <summary>
/// Shared by both samples (linked into each project). A port already in use, said in one line before the host starts, instead of Kestrel's "Hosting failed to start"
/// and an unhandled-exception stack trace.
/// </summary>
internal static class PortInUse
{
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

using System.Net;
using System.Net.Sockets;

namespace P2P.Tests.Shared;

/// <summary>
/// A sample's fixed port (8000, 8501) taken, as it is while the sample runs in another terminal. Hold it only around
/// the step under test: other test runs on the same machine check those ports too. When another process already
/// holds the port, nothing is bound here; the port is taken all the same, which is what the test needs.
/// </summary>
internal sealed class TakenPort : IDisposable
{
    private readonly TcpListener? _listener;

    private TakenPort(TcpListener? listener) => _listener = listener;

    public static TakenPort Hold(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return new TakenPort(listener);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return new TakenPort(null);
        }
    }

    /// <summary>True while nobody can listen on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsTaken(int port)
    {
        using var probe = new TcpListener(IPAddress.Loopback, port);
        try
        {
            probe.Start();
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }

    public void Dispose() => _listener?.Dispose();
}

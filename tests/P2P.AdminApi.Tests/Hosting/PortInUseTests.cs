using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using P2P.Samples.Hosting;

namespace P2P.AdminApi.Tests.Hosting;

public sealed class PortInUseTests
{
    private static IConfiguration Urls(string urls) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();

    [Fact]
    public void Check_PortTaken_WritesOneLineAndReturnsTrue()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var error = new StringWriter();

        Assert.True(PortInUse.Check(Urls($"http://127.0.0.1:{port}"), error));

        Assert.Equal(
            $"Cannot listen on http://127.0.0.1:{port}: port {port} is already in use. Stop the other process, or start this one on another port, e.g. --urls http://127.0.0.1:{port + 10}",
            error.ToString().Trim());
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("")]
    [InlineData("http://example.invalid:8000")]
    public void Check_FreeOrNotCheckable_ReturnsFalseAndSaysNothing(string urls)
    {
        using var error = new StringWriter();

        Assert.False(PortInUse.Check(Urls(urls), error));

        Assert.Empty(error.ToString());
    }
}

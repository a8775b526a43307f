using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.Samples.Hosting;
using P2P.Tests.Shared;

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

    // The README's order: `dotnet run --project samples/AdminApi` (port 8000) in one terminal, `dotnet test` in another.
    // The in-memory host binds no socket, so the port check must not stop it.
    [Fact]
    public async Task TestServerHost_Port8000Taken_StartsAndAnswers()
    {
        await using var factory = new AdminApiFactory();
        using (TakenPort.Hold(8000))
        {
            Assert.True(TakenPort.IsTaken(8000));
            _ = factory.Server; // builds and starts the host: where the check used to stop it
        }

        Assert.False(PortInUse.BindsSockets(factory.Server));
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using P2P.Samples.Hosting;
using P2P.Tests.Shared;

namespace P2P.Dashboard.Tests.Hosting;

/// <summary>The dashboard's port check stops a real start on a taken port (see DashboardProcessTests), never an in-memory host.</summary>
public sealed class PortInUseTests
{
    // `dotnet run --project samples/Dashboard` holds 8501 (its launch profile); a test host configured with the same
    // address binds nothing and must start regardless.
    [Fact]
    public async Task TestServerHost_Port8501Taken_StartsAndAnswers()
    {
        await using var factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b.UseSetting("urls", "http://127.0.0.1:8501").UseEnvironment("Development"));
        using (TakenPort.Hold(8501))
        {
            Assert.True(TakenPort.IsTaken(8501));
            _ = factory.Server; // builds and starts the host: where the check used to stop it
        }

        Assert.False(PortInUse.BindsSockets(factory.Server));
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

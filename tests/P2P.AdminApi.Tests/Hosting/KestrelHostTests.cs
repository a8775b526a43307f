using System.Net;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Hosting;

/// <summary>The sample on real Kestrel, with the address given the way <c>--urls</c> gives it.</summary>
public sealed class KestrelHostTests : IAsyncLifetime
{
    private readonly AdminApiFactory _factory = new(kestrel: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Host_UrlsConfigured_ListensThereInsteadOfPort8000()
    {
        using var client = _factory.CreateDataClient();

        Assert.Equal("127.0.0.1", client.BaseAddress!.Host);
        Assert.NotEqual(8000, client.BaseAddress.Port);
        using var summary = await client.GetAsync(new Uri("/api/p2p/summary", UriKind.Relative), Ct);
        using var docs = await client.GetAsync(new Uri("/docs/index.html", UriKind.Relative), Ct);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        using var bad = await client.GetAsync(new Uri("/api/p2p/payments?pageSize=abc", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await ProblemAssert.IsValidationProblemAsync(bad, "pageSize");
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.Samples.Hosting;
using P2P.Tests.Shared;

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
        Assert.True(PortInUse.BindsSockets(_factory.Services.GetRequiredService<IServer>())); // so the port check runs here
        using var summary = await client.GetAsync(new Uri("/api/p2p/summary", UriKind.Relative), Ct);
        using var docs = await client.GetAsync(new Uri("/docs/index.html", UriKind.Relative), Ct);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
        using var bad = await client.GetAsync(new Uri("/api/p2p/payments?pageSize=abc", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await ProblemAssert.IsValidationProblemAsync(bad, "pageSize");
    }

    [Fact]
    public async Task Request_HeadersOverKestrelsLimit_Return431AndChangeNothing()
    {
        // docs/security.md rule 18, oversized headers: Kestrel refuses them (32 KiB of headers by default) before
        // the app runs, so no handler, store or log sees the value.
        using var data = _factory.CreateDataClient();
        var session = await AdminSession.LogInAsync(data, "fixture-admin", "fixture admin passphrase 1");
        using var before = await session.SendAsync(HttpMethod.Get, "/admin/keys/");
        var keysBefore = JsonDocument.Parse(await before.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("total").GetInt64();
        var oversized = "p2p_" + new string('A', 40 * 1024);

        using var keyRequest = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        keyRequest.Headers.Remove("X-API-Key");
        keyRequest.Headers.TryAddWithoutValidation("X-API-Key", oversized);
        using var client = _factory.CreateClient();
        using var keyResponse = await client.SendAsync(keyRequest, Ct);

        using var createRequest = session.Request(HttpMethod.Post, "/admin/keys/", new { name = "Never created" });
        createRequest.Headers.TryAddWithoutValidation("X-Padding", oversized);
        using var createResponse = await client.SendAsync(createRequest, Ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, keyResponse.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, createResponse.StatusCode);
        Assert.DoesNotContain("AAAAAAAAAA", await keyResponse.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var after = await session.SendAsync(HttpMethod.Get, "/admin/keys/");
        Assert.Equal(keysBefore, JsonDocument.Parse(await after.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("total").GetInt64());
        Assert.DoesNotContain(_factory.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains("AAAAAAAAAA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Responses_OverKestrel_NoSniffEverywhereDocsUnframeableAdminNoStoreNoServerHeader()
    {
        // docs/security.md rule 25 for the sample (findings 8 and 9 of the attack run).
        using var data = _factory.CreateDataClient();
        using var anonymous = _factory.CreateClient();
        var session = await AdminSession.LogInAsync(data, "fixture-admin", "fixture admin passphrase 1");
        using var created = await session.SendAsync(HttpMethod.Post, "/admin/keys/", new { name = "Header check" });
        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["summary"] = await data.GetAsync(new Uri("/api/p2p/summary", UriKind.Relative), Ct),
            ["summary 401"] = await anonymous.GetAsync(new Uri("/api/p2p/summary", UriKind.Relative), Ct),
            ["docs"] = await anonymous.GetAsync(new Uri("/docs/index.html", UriKind.Relative), Ct),
            ["openapi"] = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct),
            ["health"] = await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative), Ct),
            ["not found"] = await anonymous.GetAsync(new Uri("/nothing-here", UriKind.Relative), Ct),
        };
        try
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.True(created.Headers.CacheControl?.NoStore);
            foreach (var (what, response) in answers.Append(new("create key", created)))
            {
                Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", what);
                Assert.False(response.Headers.Contains("Server"), what + ": Server header " + response.Headers.Server);
            }

            var docs = answers["docs"];
            Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
            Assert.Contains("frame-ancestors 'none'", docs.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("DENY", docs.Headers.GetValues("X-Frame-Options").Single());
        }
        finally
        {
            foreach (var response in answers.Values)
            {
                response.Dispose();
            }
        }
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Hosting;

/// <summary>Swagger UI, health and request logging of the sample host.</summary>
public sealed class HostEndpointsTests(AdminApiFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docs_Get_ServesSwaggerUiPointingAtTheOpenApiDocument()
    {
        using var client = factory.CreateClient();

        using var page = await client.GetAsync(new Uri("/docs", UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var script = await client.GetStringAsync(new Uri("/docs/index.js", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
        Assert.Contains("/openapi/v1.json", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/docs/swagger-ui-bundle.js")]
    [InlineData("/docs/swagger-ui-standalone-preset.js")]
    [InlineData("/docs/swagger-ui.css")]
    public async Task Docs_Assets_AreServedByTheAppNotACdn(string asset)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(asset, UriKind.Relative), Ct);
        var html = await client.GetStringAsync(new Uri("/docs/index.html", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync(Ct)).Length > 1000);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Healthz_Get_ReturnsHealthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task HealthzReady_Get_JsonWithTheLibraryChecksHealthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative), Ct);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        foreach (var name in new[] { "p2p_apikeys_store", "p2p_apikeys_change_notifier", "p2p_apikeys_rate_limiter" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task HealthzReady_OverThePerClientLimit_429WithRetryAfterWhileLivenessAnswers()
    {
        await using var limited = new AdminApiFactory(kestrel: false, settings: new Dictionary<string, string?>
        {
            ["Health:ReadyLimit:Limit"] = "2",
            ["Health:ReadyLimit:WindowSeconds"] = "60",
        });
        using var client = limited.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative), Ct);
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task RequestLogging_KeyInHeaderOrQuery_IsNeverLogged()
    {
        const string HeaderKey = "p2p_headerlookup_SECRETHEADERVALUE123";
        const string QueryKey = "p2p_querylookup_SECRETQUERYVALUE456";
        const string Token = "eyJhbGciOiJIUzI1NiJ9.SECRETJWTBODY.signature";
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/p2p/summary?api_key={QueryKey}", UriKind.Relative));
        request.Headers.Add("X-API-Key", HeaderKey);
        request.Headers.Add("Authorization", $"Bearer {Token}");

        using var response = await client.SendAsync(request, Ct);
        var collector = factory.Services.GetFakeLogCollector();

        // The request is logged when its pipeline completes, which can be just after the client sees the response.
        var deadline = DateTime.UtcNow.AddMinutes(1); // a hang guard, not a timing assertion
        while (!collector.GetSnapshot().Any(r => r.Message.Contains("/api/p2p/summary", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        var records = collector.GetSnapshot();
        Assert.Contains(records, r => r.Message.Contains("/api/p2p/summary", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var text = record.Message + " " + string.Join(" ", record.StructuredState?.Select(s => s.Value) ?? []) + " " + record.Exception;
            Assert.DoesNotContain("SECRETHEADERVALUE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRETQUERYVALUE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRETJWTBODY", text, StringComparison.Ordinal);
        }
    }
}

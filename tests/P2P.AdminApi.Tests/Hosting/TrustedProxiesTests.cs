using System.Net;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Hosting;

/// <summary>
/// The token endpoint's per-IP login limit (10 a minute) on real Kestrel, where every request comes from 127.0.0.1:
/// without <c>ForwardedHeaders:KnownProxies</c> a forged <c>X-Forwarded-For</c> changes nothing; with 127.0.0.1
/// listed as the proxy, each forwarded client address gets its own budget, and one client still gets 429.
/// </summary>
public sealed class TrustedProxiesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenLimit_NoTrustedProxy_IgnoresForgedForwardedFor()
    {
        await using var factory = new AdminApiFactory(kestrel: true);
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add(await RequestTokenAsync(client, forwardedFor: $"203.0.113.{i + 1}", attempt: i));
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(10));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
    }

    [Fact]
    public async Task TokenLimit_BehindTrustedProxy_CountsEachForwardedClientSeparately()
    {
        await using var factory = new AdminApiFactory(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });
        using var client = factory.CreateClient();

        var distinctClients = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            distinctClients.Add(await RequestTokenAsync(client, forwardedFor: $"203.0.113.{i + 1}", attempt: i));
        }

        var oneClient = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            oneClient.Add(await RequestTokenAsync(client, forwardedFor: "198.51.100.7", attempt: 100 + i));
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, distinctClients);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, oneClient.Take(10));
        Assert.Equal(HttpStatusCode.TooManyRequests, oneClient[10]);
    }

    [Fact]
    public void Start_KnownProxyNotAnAddress_FailsWithAClearMessage()
    {
        using var factory = new AdminApiFactory(kestrel: false, settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "proxy.internal",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var message = (error as InvalidOperationException ?? error.InnerException ?? error).Message;
        Assert.Contains("ForwardedHeaders:KnownProxies", message, StringComparison.Ordinal);
        Assert.Contains("proxy.internal", message, StringComparison.Ordinal);
    }

    /// <summary>A failed login as a different unknown user each time, so only the per-IP limit can refuse it.</summary>
    private static async Task<HttpStatusCode> RequestTokenAsync(HttpClient client, string forwardedFor, int attempt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = $"nobody{attempt}",
                ["password"] = "not the password at all",
            }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}

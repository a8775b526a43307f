using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Tests.Redaction;

/// <summary>
/// docs/security.md rule 24 at the library level: a host that calls only <c>AddApiKeyAuth</c>, with no appsettings and
/// every log record captured at Trace level (hosting diagnostics, Kestrel, HTTP logging of everything, routing),
/// never logs a credential sent in the query string, and a request path cannot start a new log line. Real
/// Kestrel on 127.0.0.1, real sockets.
/// </summary>
public sealed class RequestRedactionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_CredentialsInQueryAndLineBreaksInPath_NeverReachAnyLogRecord()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        builder.Services.AddApiKeyAuth(configureScheme: o => o.QueryParameterName = "k").AddInMemoryStores();

        // The most talkative request logging a host could configure: query string included.
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.All;
            o.CombineLogs = false;
        });
        await using var app = builder.Build();
        app.UseHttpLogging();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", (HttpRequest request) => request.QueryString.Value ?? "").RequireAuthorization(ApiKeyPolicies.ScopePolicy());
        app.MapGet("/open", (HttpRequest request) =>
            request.QueryString.Value + " " + (request.GetUnredactedQuery()["token"] == "SECRETTOKEN4" ? "original readable" : "original lost"));
        await app.StartAsync(Ct);
        var key = await CreateKeyAsync(app.Services);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var secrets = new[] { "SECRETAPIKEY1", "SECRETACCESSTOKEN2", "SECRETPASSWORD3", "SECRETTOKEN4", "SECRETKEY5", "SECRETENCODED6", "SECRETREQUESTLINE7" };
        string[] paths =
        [
            $"/data?api_key={secrets[0]}&page=2",
            $"/admin/keys/?access_token=eyJhbGciOiJIUzI1NiJ9.{secrets[1]}.sig",
            $"/data?Password={secrets[2]}",
            $"/open?token={secrets[3]}&x=1",
            $"/data?KEY={secrets[4]}",
            $"/data?api%5Fkey={secrets[5]}",
            $"/data?k={key}",
            "/api/x%0D%0AFORGED%20line%0Amore%E2%80%A8sep%1B[31m",
        ];

        var answers = new List<string>();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }

        // A request line Kestrel itself rejects never reaches the app; Kestrel must not log it either.
        using (var raw = new System.Net.Sockets.TcpClient())
        {
            var address = new Uri(app.Urls.First());
            await raw.ConnectAsync(address.Host, address.Port, Ct);
            var stream = raw.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /data?api_key={secrets[6]} junk HTTP/1.1\r\nHost: x\r\n\r\n"), Ct);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, Ct);
            answers.Add(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }

        // Hosting writes "Request finished" after the response: stopping the host waits for every request.
        await app.StopAsync(Ct);

        // The opted-in query key still authenticates; the app sees redacted values, and the original on request.
        Assert.Equal($"200 ?k={ApiKeyRequestExtensionsRedacted}", answers[6]);
        Assert.Equal($"200 ?token={ApiKeyRequestExtensionsRedacted}&x=1 original readable", answers[3]);
        Assert.Equal(404, int.Parse(answers[7][..3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("HTTP/1.1 400", answers[8], StringComparison.Ordinal);

        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Message.StartsWith("Request starting", StringComparison.Ordinal) && r.Message.Contains("api_key=redacted", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.Contains("/api/x%0D%0AFORGED", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var texts = new[] { record.Message, record.Exception?.ToString() ?? "" }
                .Concat(record.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? []);
            foreach (var text in texts)
            {
                foreach (var secret in secrets.Append(key).Append(key[17..49]))
                {
                    Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                }

                Assert.DoesNotMatch("[\r\n\u0085\u2028\u2029]FORGED", text);
                Assert.DoesNotContain('\u001B', text);
            }
        }
    }

    [Theory]
    [InlineData("?a=1", null)]
    [InlineData("?api_key=s", "?api_key=redacted")]
    [InlineData("?a=1&TOKEN=s&b=2", "?a=1&TOKEN=redacted&b=2")]
    [InlineData("?token", "?token=redacted")]
    [InlineData("?token=a&token=b", "?token=redacted&token=redacted")]
    [InlineData("?api+key=s&access%5ftoken=t", "?api+key=s&access%5ftoken=redacted")]
    [InlineData("?&&key=s&", "?&&key=redacted&")]
    [InlineData("?customkey=s", "?customkey=redacted")]
    public async Task RedactQuery_KnownAndConfiguredNames_ReplacesOnlyTheirValues(string query, string? expected)
    {
        var services = new ServiceCollection();
        services.AddApiKeyAuth(configureScheme: o => o.QueryParameterName = "customKey").AddInMemoryStores();
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<P2P.ApiKeys.Redaction.ApiKeyRequestRedaction>().RedactQuery(query));
    }

    private const string ApiKeyRequestExtensionsRedacted = P2P.ApiKeys.Redaction.ApiKeyRequestRedaction.Redacted;

    private static async Task<string> CreateKeyAsync(IServiceProvider services)
    {
        var created = await services.GetRequiredService<IApiKeyManager>().CreateAsync(
            new ApiKeyCreateRequest { Name = "Query key", Owner = "test", Scopes = ["p2p:read"] }, Ct);
        return created.Value!.Key;
    }
}

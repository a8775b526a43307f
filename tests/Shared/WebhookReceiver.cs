using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace P2P.ApiKeys.Testing;

/// <summary>
/// A real webhook receiver on Kestrel, 127.0.0.1, a free port: verifies every request with the <c>StandardWebhooks</c>
/// package against each of its secrets (so both signatures of a rotation are checked), answers 500 to the first
/// <c>failFirst</c> requests, and records what it accepted and when (the test process's clock, the same machine as the
/// sender's). Shared by the EF Core delivery tests and the AdminApi process tests.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public int FailFirst { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public int BadSignatures;

    /// <summary>Accepted deliveries: webhook-id, type, the parsed body, when it arrived.</summary>
    public ConcurrentQueue<(string Id, string Type, JsonElement Body, DateTimeOffset ReceivedAt)> Accepted { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(params string[] secrets)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var receivedAt = DateTimeOffset.UtcNow;
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            // Every secret must verify one of the signatures. Each signature is checked on its own: StandardWebhooks 1.1.2's
            // Verify reads only the first signature of a header that carries several.
            var signatures = context.Request.Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var secret in secrets)
            {
                var verified = false;
                foreach (var signature in signatures)
                {
                    var one = new HeaderDictionary
                    {
                        ["webhook-id"] = context.Request.Headers["webhook-id"],
                        ["webhook-timestamp"] = context.Request.Headers["webhook-timestamp"],
                        ["webhook-signature"] = signature,
                    };
                    try
                    {
                        new StandardWebhook(secret).Verify(body, one);
                        verified = true;
                        break;
                    }
                    catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
                    {
                        // try the next signature
                    }
                }

                if (!verified)
                {
                    Interlocked.Increment(ref receiver.BadSignatures);
                    return Results.StatusCode(StatusCodes.Status401Unauthorized);
                }
            }

            if (Interlocked.Increment(ref receiver._requests) <= receiver.FailFirst)
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            var parsed = JsonDocument.Parse(body).RootElement.Clone();
            receiver.Accepted.Enqueue((context.Request.Headers["webhook-id"].ToString(), parsed.GetProperty("type").GetString()!, parsed, receivedAt));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

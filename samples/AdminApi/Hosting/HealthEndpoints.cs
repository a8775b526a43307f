using System.Net;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Net.Http.Headers;

namespace AdminApi.Hosting;

/// <summary>
/// <c>/healthz</c>: liveness, answered without any I/O, for a process supervisor or a load balancer that polls
/// often. <c>/healthz/ready</c>: readiness, the P2P.ApiKeys checks (the key store answers, the change notifier is
/// connected and heard from, the Redis limiter is not falling back) as JSON, limited per client address
/// (<c>Health:ReadyLimit</c>, default 30 a minute) because each call queries the database.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/healthz/ready";
    private const string ReadinessRateLimitPolicy = "health-ready";

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = false };

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHealthChecks().AddApiKeyHealthChecks();

        var limit = RateLimitSettings.Read(configuration.GetSection("Health:ReadyLimit"), limit: 30, windowSeconds: 60);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers[HeaderNames.RetryAfter] = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
            o.AddPolicy(ReadinessRateLimitPolicy, context => limit is null
                ? RateLimitPartition.GetNoLimiter(IPAddress.None)
                : RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress ?? IPAddress.None,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = (int)limit.Limit, Window = limit.Window, QueueLimit = 0 }));
        });
    }

    public static void Map(WebApplication app)
    {
        // No check runs: the process answers, that is all a liveness probe should learn.
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });

        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteJsonAsync,
        }).RequireRateLimiting(ReadinessRateLimitPolicy);
    }

    /// <summary>Status, description and data per check; never an exception's message or stack trace.</summary>
    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("duration_ms", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 1));
                if (entry.Data.Count > 0)
                {
                    json.WriteStartObject("data");
                    foreach (var (key, value) in entry.Data)
                    {
                        json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}

using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace P2P.Samples.Hosting;

/// <summary>
/// Shared by both samples (linked into each project). OpenTelemetry traces, metrics and logs over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (e.g. <c>http://127.0.0.1:4317</c> for a local collector, Jaeger or the
/// .NET Aspire dashboard), and nothing at all otherwise: no listener, so no span is even created. The other
/// <c>OTEL_*</c> variables (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>
/// …) apply as the OpenTelemetry SDK defines them.
/// </summary>
internal static class SampleTelemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <returns>Whether OpenTelemetry was added.</returns>
    public static bool AddIfConfigured(IServiceCollection services, IConfiguration configuration, string serviceName, string[] sources, string[] meters)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable]))
        {
            return false;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            // ASP.NET Core's own spans and HttpClient's, and the library's: a key is never in them (headers are not
            // recorded, and the instrumentation redacts query string values).
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource(sources))
            // Kestrel, hosting, routing, authentication and authorization meters, HttpClient's, and the library's.
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization")
                .AddMeter(meters))
            .UseOtlpExporter();
        return true;
    }
}

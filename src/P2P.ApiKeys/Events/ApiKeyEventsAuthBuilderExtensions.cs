using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Events;

namespace P2P.ApiKeys;

/// <summary>Adds the key-event dispatcher (webhooks and in-process handlers) to an <see cref="ApiKeyAuthBuilder"/>.</summary>
public static class ApiKeyEventsAuthBuilderExtensions
{
    /// <summary>
    /// Adds the dispatcher that delivers the events the key manager writes to the outbox (a hosted service on this node;
    /// add it on every node), with <see cref="ApiKeyEventOptions"/> validated at start-up (a bad URL or secret stops the
    /// host with a clear message) and the <see cref="ApiKeyEventOptions.HttpClientName"/> HTTP client with a standard
    /// resilience handler. The stores (<c>AddInMemoryStores</c>, <c>AddEntityFrameworkCoreStores</c>) provide the outbox.
    /// In-process subscribers: register <see cref="IApiKeyEventHandler"/>s. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">Sets the endpoints, retry schedule and poll interval.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddApiKeyEvents(this ApiKeyAuthBuilder builder, Action<ApiKeyEventOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ApiKeyEventOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(ApiKeyEventMetrics)))
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyEventOptions>, ApiKeyEventOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ApiKeyEventMetrics>();
        services.TryAddSingleton<ApiKeyExpiryScanner>();
        services.TryAddSingleton<ApiKeyQuotaThresholds>();
        services.AddSingleton<Authentication.IApiKeyOutcomeObserver>(sp => sp.GetRequiredService<ApiKeyQuotaThresholds>());
        services.AddHttpClient(ApiKeyEventOptions.HttpClientName, client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("P2P.ApiKeys-Webhooks");
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler's timeouts apply
            })
            .AddStandardResilienceHandler(resilience =>
            {
                // A quick retry or two of a transient failure, same content (same webhook-id); the outbox's back-off
                // takes over after that.
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            });
        services.AddSingleton<ApiKeyEventDispatcher>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ApiKeyEventDispatcher>());
        return builder;
    }
}

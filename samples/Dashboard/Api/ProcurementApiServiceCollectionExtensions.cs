using Microsoft.Extensions.Http.Resilience;
using P2P.Dashboard.Configuration;

namespace P2P.Dashboard.Api;

public static class ProcurementApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ProcurementApiClient"/> against <see cref="DashboardSettings.ApiBaseUrl"/>, sending the key in
    /// <c>X-API-Key</c> and never following a redirect, with the standard resilience pipeline tuned so that an outage shows within seconds.
    /// </summary>
    public static IHttpClientBuilder AddProcurementApiClient(this IServiceCollection services, DashboardSettings settings)
    {
        var builder = services.AddHttpClient<ProcurementApiClient>(client =>
        {
            client.BaseAddress = settings.ApiBaseUrl;
            if (settings.IsUsable)
            {
                client.DefaultRequestHeaders.Add(ProcurementApiClient.HeaderName, settings.ApiKey);
            }
        });

        // Redirects are never followed: HttpClient would resend X-API-Key to wherever a 3xx points, another origin
        // included (docs/security.md rule 26). A redirect surfaces as an API error naming its status instead.
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        builder.AddStandardResilienceHandler(options =>
        {
            // Short, so that "API down" shows within a couple of seconds instead of the 30 s defaults.
            // Only transient answers (5xx, 408, network errors, timeouts) are retried: 401, 403 and 429 are final.
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(8);
            options.Retry.MaxRetryAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);

            // 429 is final too: the key's limit holds until Retry-After (often longer than the whole request may take),
            // and a limited key is no outage, so it neither trips the circuit breaker nor is retried.
            options.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransientButNotRateLimited(args.Outcome));
            options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransientButNotRateLimited(args.Outcome));
        });

        return builder;
    }

    private static bool IsTransientButNotRateLimited(Polly.Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(outcome);
}

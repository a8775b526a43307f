using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.SecretScanning;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys;

/// <summary>Adds the services of the secret-scanning endpoints to an <see cref="ApiKeyAuthBuilder"/>.</summary>
public static class SecretScanningAuthBuilderExtensions
{
    /// <summary>
    /// Adds what <c>MapSecretScanningEndpoints</c> needs: <see cref="SecretScanningOptions"/> (validated at start-up), the
    /// cached GitHub key set with its <see cref="GitHubSecretScanningOptions.HttpClientName"/> HTTP client, the per-address
    /// rate limit, replay detection, metrics and the audit writer. Leaked keys are changed through
    /// <see cref="IApiKeyManager"/>, so every node refuses them as soon as the change notifier tells it. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">Sets <see cref="SecretScanningOptions"/>: at least a GitHub key source or a GitLab shared secret.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddSecretScanning(this ApiKeyAuthBuilder builder, Action<SecretScanningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<SecretScanningOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(SecretScanningEndpoints)))
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretScanningOptions>, SecretScanningOptionsValidator>());
        services.AddHttpClient(GitHubSecretScanningOptions.HttpClientName, client =>
        {
            client.Timeout = TimeSpan.FromSeconds(30);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("P2P.ApiKeys"); // GitHub's API refuses requests without one
        });
        services.TryAddSingleton<SecretScanningEndpoints>();
        services.TryAddSingleton<GitHubPublicKeySet>();
        services.TryAddSingleton<LeakedKeyResponder>();
        services.TryAddSingleton<SecretScanningRateLimiter>();
        services.TryAddSingleton<ReplayedReports>();
        services.TryAddSingleton<SecretScanningMetrics>();
        return builder;
    }
}

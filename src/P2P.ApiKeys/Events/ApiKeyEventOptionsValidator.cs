using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Events;

/// <summary>Refuses, at start-up, an endpoint without a usable URL or secret, an unknown event type or a bad schedule; never echoes a secret.</summary>
internal sealed class ApiKeyEventOptionsValidator : IValidateOptions<ApiKeyEventOptions>
{
    public const string SecretPrefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, ApiKeyEventOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            var at = $"Webhooks:Endpoints:{i}";
            if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                failures.Add($"{at}:Url must be an absolute http or https URL without user info.");
            }

            var secrets = endpoint.Secrets.ToList();
            if (secrets.Count is 0 or > 2)
            {
                failures.Add($"{at}:Secret is required (one, or two during a rotation).");
            }

            foreach (var secret in secrets)
            {
                if (!IsSecret(secret))
                {
                    failures.Add($"{at}:Secret must be 'whsec_' followed by the base64 of 24 to 64 random bytes (the value is not shown).");
                }
            }

            foreach (var type in endpoint.Events)
            {
                if (!ApiKeyEventTypes.All.Contains(type, StringComparer.Ordinal))
                {
                    failures.Add($"{at}:Events has an unknown type; known: {string.Join(", ", ApiKeyEventTypes.All)}.");
                    break;
                }
            }
        }

        var retry = options.Retry;
        if (retry.InitialDelay <= TimeSpan.Zero || retry.MaxDelay < retry.InitialDelay || retry.GiveUpAfter <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:Retry needs InitialDelay > 0, MaxDelay >= InitialDelay and GiveUpAfter > 0.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.BatchSize is < 1 or > 1000 || options.LeaseDuration <= TimeSpan.FromSeconds(1)
            || string.IsNullOrWhiteSpace(options.NodeName) || options.NodeName.Length > 128)
        {
            failures.Add("PollInterval must be positive, BatchSize 1 to 1000, LeaseDuration over 1 second, NodeName 1 to 128 characters.");
        }

        if (options.QuotaThresholds.Any(f => !(f > 0 && f <= 1)))
        {
            failures.Add("Webhooks:QuotaThresholds must be fractions above 0 and at most 1.");
        }

        if (options.ExpiringLeadTimes.Any(l => l <= TimeSpan.Zero) || options.ExpiryScanInterval <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:ExpiringLeadTimes must all be positive, and ExpiryScanInterval positive.");
        }

        if ((options.Retention <= TimeSpan.Zero && options.Retention != Timeout.InfiniteTimeSpan) || options.PruneInterval <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:Retention must be positive (or -00:00:00.001 to keep every event), and PruneInterval positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsSecret(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[128];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], bytes, out var written) && written is >= 24 and <= 64;
    }
}

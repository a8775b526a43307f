namespace P2P.ApiKeys.Events;

/// <summary>One receiver of key events as Standard Webhooks.</summary>
public sealed class ApiKeyWebhookEndpoint
{
    /// <summary>The receiver's absolute <c>https</c> (or <c>http</c>) URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>The signing secret, <c>whsec_</c> and base64 (from configuration: <c>Webhooks:Endpoints:N:Secret</c>).</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// More active secrets, for a rotation: every delivery carries one signature per secret (in <see cref="Secret"/> and
    /// here, two at most in all), so the receiver can switch at its own pace.
    /// </summary>
    public IList<string> AdditionalSecrets { get; } = [];

    /// <summary>The event types this endpoint receives; empty for all.</summary>
    public IList<string> Events { get; } = [];

    /// <summary>All active secrets.</summary>
    internal IEnumerable<string> Secrets => Secret is null ? AdditionalSecrets : AdditionalSecrets.Prepend(Secret);

    /// <summary>Whether the endpoint receives <paramref name="type"/>.</summary>
    internal bool Wants(string type) => Events.Count == 0 || Events.Contains(type, StringComparer.Ordinal);
}

using Microsoft.AspNetCore.Authentication;

namespace P2P.ApiKeys.Authentication;

/// <summary>Options of the API-key authentication scheme: where the key is read from, and the events.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public ApiKeyAuthenticationOptions() => Events = new ApiKeyAuthenticationEvents();

    /// <summary>The request header that carries the key. Must be a valid HTTP header name.</summary>
    /// <remarks>Defaults to <c>X-API-Key</c>.</remarks>
    public string HeaderName { get; set; } = ApiKeyDefaults.HeaderName;

    /// <summary>Whether <c>Authorization: ApiKey &lt;key&gt;</c> is accepted too (when the header above is absent).</summary>
    /// <remarks>Defaults to <see langword="true"/>.</remarks>
    public bool AllowAuthorizationHeader { get; set; } = true;

    /// <summary>
    /// The query-string parameter a key may be sent in, or <see langword="null"/> to never read one. Keys in
    /// URLs end up in proxy logs, browser history and referrers, so only set this when a client cannot send
    /// headers; a header always wins over the query string.
    /// </summary>
    /// <remarks>Defaults to <see langword="null"/> (a key in the query string is ignored, so the request is refused).</remarks>
    public string? QueryParameterName { get; set; }

    /// <summary>The events raised by the handler; see <see cref="ApiKeyAuthenticationEvents"/>.</summary>
    public new ApiKeyAuthenticationEvents Events
    {
        get => (ApiKeyAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }
}

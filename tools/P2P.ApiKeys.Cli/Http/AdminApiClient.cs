using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2P.ApiKeys.Cli.Http;

/// <summary>
/// The admin endpoints over HTTP. Redirects are never followed (a token or admin key must not reach another origin),
/// plain http is accepted for loopback only, and every answer that is not a success becomes a
/// <see cref="CliException"/> carrying the API's problem details and an exit code for its status.
/// </summary>
internal sealed class AdminApiClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public AdminApiClient(Uri baseUrl, AdminCredential? credential)
    {
        BaseUrl = baseUrl;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUrl, Timeout = Timeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("p2p-keys", typeof(AdminApiClient).Assembly.GetName().Version?.ToString(3)));
        switch (credential)
        {
            case { Kind: AdminCredentialKind.Token }:
                _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential.Value);
                break;
            case { Kind: AdminCredentialKind.ApiKey }:
                _http.DefaultRequestHeaders.Add("X-API-Key", credential.Value);
                break;
        }
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// The API's base URL from <paramref name="value"/>: absolute http(s), https unless the host is this machine
    /// (docs/security.md rule 26: a credential never crosses the network in clear text).
    /// </summary>
    public static Uri ParseBaseUrl(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"--url must be an absolute http(s) URL such as http://127.0.0.1:8000, not '{value}'.");
        }

        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            throw new CliException(ExitCodes.Usage,
                $"--url must use https for an API on another machine, so that passwords, tokens and keys never cross the network in clear text; plain http is accepted only for localhost, 127.0.0.1 or ::1, not '{value}'.");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            throw new CliException(ExitCodes.Usage, "--url must not carry a query string, a fragment or user information.");
        }

        // A trailing slash makes relative paths append to the base path instead of replacing its last segment.
        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<JsonNode?> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    public Task<JsonNode?> PostJsonAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") }, cancellationToken);

    public Task<JsonNode?> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) }, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CliException(ExitCodes.Unavailable, $"Could not reach {BaseUrl}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Unavailable, $"{BaseUrl} did not answer within {Timeout.TotalSeconds:0} s.");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return text.Length == 0 ? null : ParseJson(text, status);
                }

                if (status is >= 300 and < 400)
                {
                    throw new CliException(ExitCodes.Unavailable,
                        $"{BaseUrl} answered {status} {response.ReasonPhrase} (a redirect to {response.Headers.Location}); not followed, so that no credential goes elsewhere. Use the final URL with --url.");
                }

                var problem = TryParseObject(text);
                throw new CliException(ExitCodeFor(response.StatusCode), ProblemLine(status, response.ReasonPhrase, problem), problem);
            }
        }
    }

    private static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unauthorized,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.Conflict => ExitCodes.Conflict,
        HttpStatusCode.TooManyRequests => ExitCodes.Unavailable,
        >= HttpStatusCode.InternalServerError => ExitCodes.Unavailable,
        _ => ExitCodes.Refused,
    };

    /// <summary>The problem details on one line: status, title, detail and each validation error.</summary>
    private static string ProblemLine(int status, string? reason, JsonObject? problem)
    {
        var line = new StringBuilder().Append(status);
        var title = problem?["title"]?.GetValueKind() == JsonValueKind.String ? (string?)problem["title"] : reason;
        if (!string.IsNullOrEmpty(title))
        {
            line.Append(' ').Append(title);
        }

        if (problem?["detail"] is JsonValue detail && detail.GetValueKind() == JsonValueKind.String)
        {
            line.Append(": ").Append((string?)detail);
        }

        if (problem?["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                var text = messages is JsonArray array ? string.Join(" ", array.Select(m => m?.ToString())) : messages?.ToString();
                line.Append(" [").Append(field).Append(": ").Append(text).Append(']');
            }
        }

        return OneLine(line.ToString());
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? ParseJson(string text, int status)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Unavailable, $"The API answered {status} with a body that is not JSON; is --url the P2P AdminApi?");
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace P2P.ApiKeys.Benchmarks.Shared;

/// <summary>
/// The seed's admin steps and the data call over HTTP, for the benchmarks that drive a running AdminApi process
/// (revocation propagation, secret scanning): bootstrap and log in, create and revoke keys, read the summary with a key.
/// </summary>
internal static class AdminApiCalls
{
    /// <summary>Creates the first admin and logs it in; returns the bearer token.</summary>
    public static async Task<string> BootstrapAdminAsync(HttpClient client, string password, CancellationToken cancellationToken)
    {
        using (var created = await client.PostAsJsonAsync("/admin/users/", new { username = "bench", password }, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "bench", ["password"] = password });
        using var response = await client.PostAsync(new Uri("/admin/token", UriKind.Relative), form, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary><c>POST /admin/keys/</c> with a name only; returns the key (shown this once) and its id.</summary>
    public static async Task<(string Key, string Id)> CreateKeyAsync(HttpClient client, string token, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/") { Content = JsonContent.Create(new { name }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (body.RootElement.GetProperty("key").GetString()!, body.RootElement.GetProperty("id").GetString()!);
    }

    /// <summary><c>DELETE /admin/keys/{id}</c>; anything but 204 throws.</summary>
    public static async Task RevokeAsync(HttpClient client, string token, string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/admin/keys/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"Revoke answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>The status of <c>GET /api/p2p/summary</c> with <paramref name="key"/>.</summary>
    public static async Task<HttpStatusCode> SummaryStatusAsync(HttpClient client, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode;
    }
}

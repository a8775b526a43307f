using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace P2P.AdminApi.Tests.Infrastructure;

/// <summary>
/// The seed's steps 2–4 as HTTP calls on any client (TestServer or real Kestrel): create the admin
/// (<c>POST /admin/users/</c> JSON), log in (<c>POST /admin/token</c> form fields), create keys
/// (<c>POST /admin/keys/</c>) with the bearer token.
/// </summary>
internal sealed class AdminSession
{
    private AdminSession(HttpClient client, string accessToken)
    {
        Client = client;
        AccessToken = accessToken;
    }

    public HttpClient Client { get; }

    public string AccessToken { get; }

    /// <summary>Step 2 then step 3: the one-time bootstrap of the first admin, then its login.</summary>
    public static async Task<AdminSession> BootstrapAsync(HttpClient client, string username, string password)
    {
        using var created = await client.PostAsJsonAsync("/admin/users/", new { username, password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await LogInAsync(client, username, password);
    }

    /// <summary>Step 3: <c>application/x-www-form-urlencoded</c> username and password.</summary>
    public static async Task<AdminSession> LogInAsync(HttpClient client, string username, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
        });
        using var response = await client.PostAsync("/admin/token", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("bearer", body.RootElement.GetProperty("token_type").GetString());
        return new AdminSession(client, body.RootElement.GetProperty("access_token").GetString()!);
    }

    /// <summary>An authenticated admin request.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null)
    {
        using var request = Request(method, path, json);
        return await Client.SendAsync(request);
    }

    /// <summary>Step 4: <c>POST /admin/keys/</c>; returns the full key, shown this once.</summary>
    public async Task<string> CreateKeyAsync(string name) => (await CreateKeyResponseAsync(new { name })).GetProperty("key").GetString()!;

    /// <summary>Step 4 with any body; returns the 201 body.</summary>
    public async Task<JsonElement> CreateKeyResponseAsync(object body)
    {
        using var response = await SendAsync(HttpMethod.Post, "/admin/keys/", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

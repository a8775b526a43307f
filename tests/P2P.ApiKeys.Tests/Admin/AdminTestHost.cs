using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>A real host (slim builder + TestServer) with in-memory stores, the admin endpoints and a fake clock.</summary>
internal sealed class AdminTestHost : IAsyncDisposable
{
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS1vZi1hdC1sZWFzdC0zMi1ieXRlcy0xMjM0NTY3OA==";
    public const string AdminName = "alice";
    public const string AdminPassword = "correct horse battery staple";
    public const string ClientIpHeader = "X-Test-Client-IP";

    private AdminTestHost(WebApplication app, FakeTimeProvider time, HttpClient client)
    {
        App = app;
        Time = time;
        Client = client;
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IApiKeyStore Keys => App.Services.GetRequiredService<IApiKeyStore>();

    public IAdminUserStore Users => App.Services.GetRequiredService<IAdminUserStore>();

    public IAdminAuditStore Audit => App.Services.GetRequiredService<IAdminAuditStore>();

    public FakeLogCollector Logs => App.Services.GetRequiredService<FakeLogCollector>();

    public CountingPasswordHasher Hasher => (CountingPasswordHasher)App.Services.GetRequiredService<IPasswordHasher<AdminUser>>();

    public static async Task<AdminTestHost> StartAsync(
        Action<AdminOptions>? admin = null,
        Action<ApiKeyOptions>? keys = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null,
        string environment = "Testing",
        bool productionPasswordHasher = false,
        bool kestrel = false)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        if (kestrel)
        {
            // Real sockets, for tests that race real parallel HTTP requests.
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        var apiKeys = builder.Services
            .AddApiKeyAuth(o =>
            {
                o.DefaultScopes.Add("p2p:read");
                keys?.Invoke(o);
            });
        AdminTestStores.Add(apiKeys);
        apiKeys
            .AddAdminEndpoints(o =>
            {
                o.Token.SigningKey = SigningKey;
                admin?.Invoke(o);
            });
        DecorateHasher(builder.Services, productionPasswordHasher);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        await AdminTestStores.InitializeAsync(app.Services);
        app.Use((context, next) =>
        {
            // TestServer has no socket: the tests say which client address a request comes from.
            context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(ClientIpHeader, out var ip)
                ? IPAddress.Parse(ip.ToString())
                : IPAddress.Loopback;
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        if (map is null)
        {
            app.MapAdminEndpoints();
        }
        else
        {
            map(app);
        }

        await app.StartAsync(TestContext.Current.CancellationToken);
        var client = kestrel
            ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) }
            : app.GetTestClient();
        return new AdminTestHost(app, time, client);
    }

    /// <summary>
    /// Wraps the admin password hasher in a <see cref="CountingPasswordHasher"/>. Unless a test asks for the
    /// library's own hasher (220,000 PBKDF2 iterations, what the tests about hashing check), the inner hasher is
    /// <see cref="FastPasswordHasher"/>: same format, one iteration, so the suite does not spend its time in PBKDF2.
    /// </summary>
    private static void DecorateHasher(IServiceCollection services, bool production)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IPasswordHasher<AdminUser>));
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<AdminUser>>(sp => new CountingPasswordHasher(production
            ? (IPasswordHasher<AdminUser>)registered.ImplementationFactory!(sp)
            : FastPasswordHasher.Instance)));
    }

    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public Task<HttpResponseMessage> CreateAdminAsync(string userName, string password, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/users/")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["username"] = userName, ["password"] = password }),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> RequestTokenAsync(string userName, string password, string? clientIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/token")
        {
            Content = Form(("username", userName), ("password", password)),
        };
        if (clientIp is not null)
        {
            request.Headers.Add(ClientIpHeader, clientIp);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<string> LoginAsync(string userName = AdminName, string password = AdminPassword)
    {
        using var response = await RequestTokenAsync(userName, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Bootstraps the first admin and logs it in.</summary>
    public async Task<string> BootstrapAsync()
    {
        using var created = await CreateAdminAsync(AdminName, AdminPassword);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await LoginAsync();
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends a request with an API key in <c>X-API-Key</c> instead of an admin token.</summary>
    public Task<HttpResponseMessage> SendWithKeyAsync(HttpMethod method, string path, string apiKey, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-API-Key", apiKey);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates a key with admin permissions (and an expiry within the 366 days they allow) with the admin token; returns the key.</summary>
    public async Task<string> CreateAdminKeyAsync(string token, params string[] permissions)
    {
        var expiresAt = Time.GetUtcNow().AddDays(30).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = "automation", ["scopes"] = permissions, ["expires_at"] = expiresAt });
        return (await CreateKeyAsync(token, body)).GetProperty("key").GetString()!;
    }

    public async Task<JsonElement> CreateKeyAsync(string token, string json = """{"name":"Streamlit App Key"}""")
    {
        using var response = await SendAsync(HttpMethod.Post, "/admin/keys/", token, Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

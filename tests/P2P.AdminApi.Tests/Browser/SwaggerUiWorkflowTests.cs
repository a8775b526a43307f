using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using P2P.AdminApi.Tests.EndToEnd;
using P2P.Tests.Shared;

namespace P2P.AdminApi.Tests.Browser;

/// <summary>
/// Steps 2–4 of the seed in Swagger UI itself, in headless Chromium, against the sample on real Kestrel: Try it
/// out on <c>POST /admin/users/</c> and <c>POST /admin/token</c>, Authorize with the token, <c>POST /admin/keys/</c>,
/// and the key read from the rendered response works. The screenshots illustrate docs/admin-workflow.md.
/// </summary>
public sealed partial class SwaggerUiWorkflowTests : IAsyncLifetime
{
    private const string Password = "a long admin passphrase";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("p2p-adminapi-browser-").FullName;
    private SampleHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task SwaggerUi_SeedSteps2To4_CreateAdminLogInAuthorizeAndCreateAWorkingKey()
    {
        var chromium = Chromium.RequireOrSkip();
        _host = SampleHost.Start(_dataDirectory);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, chromium);
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await page.GotoAsync(new Uri(_host.Address, "/docs/").ToString());
        await Assertions.Expect(page.Locator(".opblock-tag-section").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h3.opblock-tag[data-tag='Admin User Management']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h3.opblock-tag[data-tag='Admin API Key Management']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("adminapi-docs.png") });

        // Step 2: POST /admin/users/ — Try it out, the JSON body, Execute, 201, with no token (its security is optional).
        var createAdmin = await OpenTryItOutAsync(page, "post", "/admin/users/");
        await createAdmin.Locator("textarea.body-param__text").FillAsync(
            JsonSerializer.Serialize(new { username = "admin", password = Password }));
        var created = await ExecuteAsync(createAdmin, 201);
        Assert.Contains("\"username\": \"admin\"", created, StringComparison.Ordinal);
        await createAdmin.ScreenshotAsync(new LocatorScreenshotOptions { Path = Screenshots.PathFor("adminapi-create-admin.png") });

        // Step 3: POST /admin/token — the form fields, Execute, read access_token from the rendered response.
        var login = await OpenTryItOutAsync(page, "post", "/admin/token");
        await login.Locator("tr[data-property-name='username'] input[placeholder='username']").FillAsync("admin");
        await login.Locator("tr[data-property-name='password'] input[placeholder='password']").FillAsync(Password);
        var tokenResponse = await ExecuteAsync(login, 200);
        var accessToken = JsonDocument.Parse(tokenResponse).RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal(3, accessToken.Split('.').Length);
        await login.ScreenshotAsync(new LocatorScreenshotOptions { Path = Screenshots.PathFor("adminapi-token.png") });

        // Step 4.1–4.2: Authorize with the bearer token (Swagger UI adds "Bearer " itself).
        await page.Locator(".auth-wrapper .authorize").ClickAsync();
        var dialog = page.Locator(".modal-ux");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // Only what the workflow uses: the bearer token and the API key; no client id, secret or scopes.
        await Assertions.Expect(dialog.Locator(".auth-container")).ToHaveCountAsync(2);
        await Assertions.Expect(dialog.Locator("#client_id, #client_secret, .scopes")).ToHaveCountAsync(0);
        var bearer = dialog.Locator(".auth-container").Filter(new LocatorFilterOptions { Has = page.Locator("h4 code", new PageLocatorOptions { HasTextRegex = ExactlyBearer() }) });
        await bearer.Locator("input").FillAsync(accessToken);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("adminapi-authorize.png") });
        await bearer.Locator("button.authorize").ClickAsync();
        if (await dialog.IsVisibleAsync())
        {
            await dialog.Locator("button.close-modal").ClickAsync();
        }

        await Assertions.Expect(dialog).ToBeHiddenAsync();
        // The padlock at the top closes once a scheme holds credentials.
        await Assertions.Expect(page.Locator(".auth-wrapper .authorize")).ToHaveClassAsync(new Regex(@"\blocked\b"));

        // Step 4.3–4.6: POST /admin/keys/: "Try it out" pre-fills {"name": "Streamlit App Key"}, which works as is:
        // Execute without touching it, read the key from the rendered response.
        var createKey = await OpenTryItOutAsync(page, "post", "/admin/keys/");
        var body = createKey.Locator("textarea.body-param__text");
        Assert.Equal("Streamlit App Key", JsonDocument.Parse(await body.InputValueAsync()).RootElement.GetProperty("name").GetString());
        Assert.Single(JsonDocument.Parse(await body.InputValueAsync()).RootElement.EnumerateObject());
        var keyResponse = await ExecuteAsync(createKey, 201);
        var key = JsonDocument.Parse(keyResponse).RootElement.GetProperty("key").GetString()!;
        Assert.StartsWith("p2p_", key, StringComparison.Ordinal);
        await createKey.ScreenshotAsync(new LocatorScreenshotOptions { Path = Screenshots.PathFor("adminapi-create-key.png") });

        // The key copied from the page is the dashboard's key: it reads the P2P data.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        using var response = await _host.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Expands the operation and clicks "Try it out".</summary>
    private static async Task<ILocator> OpenTryItOutAsync(IPage page, string method, string path)
    {
        var operation = page.Locator($".opblock.opblock-{method}")
            .Filter(new LocatorFilterOptions { Has = page.Locator($".opblock-summary-path[data-path='{path}']") });
        await Assertions.Expect(operation).ToHaveCountAsync(1);
        await operation.Locator(".opblock-summary").First.ClickAsync();
        await operation.Locator(".try-out__btn").ClickAsync();
        await operation.ScrollIntoViewIfNeededAsync();
        return operation;
    }

    /// <summary>Clicks Execute, waits for the live response, checks its status and returns the rendered body.</summary>
    private static async Task<string> ExecuteAsync(ILocator operation, int expectedStatus)
    {
        await operation.Locator(".execute").ClickAsync();
        var live = operation.Locator(".responses-wrapper .live-responses-table .response").First;
        await Assertions.Expect(live.Locator(".response-col_status")).ToHaveTextAsync(new Regex($"^\\s*{expectedStatus}"));
        return await live.Locator(".microlight").First.InnerTextAsync();
    }

    [GeneratedRegex("^Bearer$")]
    private static partial Regex ExactlyBearer();
}

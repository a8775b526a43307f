using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using P2P.Dashboard.Charts;
using P2P.Dashboard.Tests.Infrastructure;
using P2P.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace P2P.Dashboard.Tests.EndToEnd;

/// <summary>
/// The seed's admin workflow end to end, with nothing stubbed: the real AdminApi and the real dashboard as
/// processes on 127.0.0.1, the admin account and the key made over HTTP exactly as docs/admin-workflow.md
/// tells an admin to, the key handed over in a <c>.env</c> file, and what a user sees checked in Chromium
/// against what the API itself answers — then the key revoked, then no key at all.
/// </summary>
public sealed class AdminToDashboardTests : IAsyncLifetime
{
    private const string KeyRejectedHeading = "Key rejected: invalid or revoked — generate a new one";

    private readonly string? _chromiumPath = Chromium.FindExecutable();
    private readonly List<IAsyncDisposable> _processes = [];
    private readonly List<TempDirectory> _directories = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();

        // Dashboards first (they call the API), then the API; each deletes nothing but its own process.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        foreach (var dir in _directories)
        {
            dir.Dispose();
        }
    }

    [Fact]
    public async Task AdminCreatesKey_DashboardShowsApiData_ThenKeyRevoked_ThenNoEnvShowsSetup()
    {
        Chromium.RequireOrSkip(_chromiumPath);
        var ct = TestContext.Current.CancellationToken;
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, _chromiumPath!);

        // ---- Step 1: the backend.
        var api = await AdminApiProcess.StartAsync();
        _processes.Add(api);
        using var http = new HttpClient { BaseAddress = api.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

        // ---- Steps 2–4: admin account, admin token, API key — over HTTP, as the workflow document says.
        var password = "e2e-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        using (var created = await http.PostAsJsonAsync("admin/users/", new { username = "e2e-admin", password }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        string adminToken;
        using (var token = await http.PostAsync("admin/token", new FormUrlEncodedContent(new Dictionary<string, string>
               {
                   ["username"] = "e2e-admin",
                   ["password"] = password,
               }), ct))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            adminToken = (await ReadJsonAsync(token, ct)).GetProperty("access_token").GetString()!;
        }

        var admin = new AuthenticationHeaderValue("Bearer", adminToken);
        string key, keyId;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "admin/keys/") { Content = JsonContent.Create(new { name = "Streamlit App Key" }) })
        {
            request.Headers.Authorization = admin;
            using var response = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await ReadJsonAsync(response, ct);
            key = body.GetProperty("key").GetString()!;
            keyId = body.GetProperty("id").ToString();
            Assert.StartsWith("p2p_", key, StringComparison.Ordinal);
            Assert.Contains("p2p:read", body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        }

        // What the API answers to that key: the figures the dashboard must show.
        var summary = await GetDataAsync(http, key, "api/p2p/summary", ct);
        var bySupplier = await GetDataAsync(http, key, "api/p2p/spend/by-supplier?top=10", ct);
        var byMonth = await GetDataAsync(http, key, "api/p2p/spend/by-month", ct);
        var aging = await GetDataAsync(http, key, "api/p2p/invoices/aging", ct);
        var poPage1 = await GetDataAsync(http, key, "api/p2p/purchase-orders?page=1&pageSize=20", ct);
        var poPage2 = await GetDataAsync(http, key, "api/p2p/purchase-orders?page=2&pageSize=20", ct);
        var poTotal = poPage1.GetProperty("total").GetInt32();
        Assert.True(poTotal > 40, $"The demo data should fill more than two pages of purchase orders, got {poTotal}.");

        // ---- Step 5: the key in .env, in the directory the dashboard is started from.
        var workDir = NewDirectory();
        workDir.WriteEnvFile($"API_KEY=\"{key}\"", $"API_BASE_URL={api.BaseUrl}");

        // ---- Step 6: the dashboard.
        var dashboard = await DashboardProcess.StartAsync(workDir.Path);
        _processes.Add(dashboard);
        var page = await NewPageAsync();

        // Overview: every KPI card equals the API's summary, formatted as the dashboard formats it.
        await page.GotoAsync(dashboard.BaseUrl.ToString());
        await Expect(Kpi(page, "total-spend")).ToHaveTextAsync(Money.Format(summary.GetProperty("total_spend").GetDecimal()));
        await Expect(Kpi(page, "open-pos")).ToHaveTextAsync(summary.GetProperty("open_purchase_orders").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Expect(Kpi(page, "awaiting-approval")).ToHaveTextAsync(summary.GetProperty("invoices_awaiting_approval").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Expect(Kpi(page, "overdue")).ToHaveTextAsync(summary.GetProperty("overdue_invoices").GetInt32().ToString(CultureInfo.InvariantCulture));
        var days = summary.GetProperty("average_days_invoice_to_payment");
        await Expect(Kpi(page, "days-to-pay")).ToHaveTextAsync(
            days.ValueKind == JsonValueKind.Null ? "–" : days.GetDecimal().ToString("0.0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-kpi=open-pos] .kpi-note")).ToHaveTextAsync(
            Money.Format(summary.GetProperty("open_purchase_order_value").GetDecimal()) + " committed");
        await Expect(page.Locator("[data-kpi=overdue] .kpi-note")).ToHaveTextAsync(
            Money.Format(summary.GetProperty("overdue_amount").GetDecimal()) + " past due");

        // Three charts rendered as SVG, one mark per data point the API returned, the first labelled with its data.
        var suppliers = bySupplier.EnumerateArray().ToList();
        Assert.NotEmpty(suppliers);
        await Expect(page.Locator("[data-chart=spend-by-supplier] svg rect.bar")).ToHaveCountAsync(suppliers.Count);
        await Expect(page.Locator("[data-chart=spend-by-supplier] svg rect.bar title").First).ToHaveTextAsync(
            $"{suppliers[0].GetProperty("supplier_name").GetString()}: {Money.Format(suppliers[0].GetProperty("spend").GetDecimal())}");
        await Expect(page.Locator("[data-chart=spend-by-month] svg circle.point")).ToHaveCountAsync(byMonth.GetArrayLength());
        await Expect(page.Locator("[data-chart=invoice-aging] svg rect.bar")).ToHaveCountAsync(aging.GetArrayLength());
        foreach (var chart in new[] { "spend-by-supplier", "spend-by-month", "invoice-aging" })
        {
            var box = await page.Locator($"[data-chart={chart}] svg").First.BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 50 }, $"Chart {chart} is not visibly rendered: {box?.Width}x{box?.Height}.");
        }

        await Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0);
        AssertKeyAbsent(key, await page.ContentAsync(), "overview HTML");
        await ScreenshotAsync(page, "e2e-overview.png");

        // Purchase orders: paged by the API, the same rows and totals as the API's own pages.
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "purchase-orders").ToString());
        var rows = page.Locator("[data-testid=po-table] tbody tr");
        var status = page.GetByTestId("pager-status");
        var pageCount = (poTotal + 19) / 20;
        await Expect(rows).ToHaveCountAsync(20);
        await Expect(status).ToHaveTextAsync($"1–20 of {poTotal} · page 1 of {pageCount}");
        Assert.Equal(Numbers(poPage1), await FirstCellsAsync(page));

        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("page=2"));
        await Expect(status).ToHaveTextAsync($"21–{Math.Min(40, poTotal)} of {poTotal} · page 2 of {pageCount}");
        var page2Numbers = await FirstCellsAsync(page);
        Assert.Equal(Numbers(poPage2), page2Numbers);
        Assert.Empty(page2Numbers.Intersect(Numbers(poPage1)));
        AssertKeyAbsent(key, await page.ContentAsync(), "purchase orders HTML");
        await ScreenshotAsync(page, "e2e-purchase-orders.png");

        // ---- The admin revokes the key: the API refuses it at once, and the dashboard says what to do.
        using (var request = new HttpRequestMessage(HttpMethod.Delete, $"admin/keys/{keyId}"))
        {
            request.Headers.Authorization = admin;
            using var response = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "api/p2p/summary"))
        {
            request.Headers.Add("X-API-Key", key);
            using var response = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await page.GotoAsync(dashboard.BaseUrl.ToString());
        var banner = page.Locator("[data-failure=key-rejected]");
        await Expect(banner).ToContainTextAsync(KeyRejectedHeading);
        await Expect(banner).ToContainTextAsync("401");
        await Expect(page.Locator("[data-kpi]")).ToHaveCountAsync(0);
        AssertKeyAbsent(key, await page.ContentAsync(), "key-rejected HTML");
        await ScreenshotAsync(page, "e2e-key-rejected.png");

        // ---- No .env (and no API_KEY in the environment): the setup page with the admin workflow.
        var emptyDir = NewDirectory();
        var unconfigured = await DashboardProcess.StartAsync(emptyDir.Path);
        _processes.Add(unconfigured);
        await page.GotoAsync(unconfigured.BaseUrl.ToString());
        await Expect(page).ToHaveURLAsync(new Uri(unconfigured.BaseUrl, "setup").ToString());
        await Expect(page.Locator("[data-setup=missing]")).ToContainTextAsync("No API key configured");
        await Expect(page.Locator("#steps-heading + ol")).ToContainTextAsync("POST /admin/keys/");
        await ScreenshotAsync(page, "e2e-setup.png");

        // ---- The key was never logged, by either process.
        AssertKeyAbsent(key, dashboard.Output, "dashboard log");
        AssertKeyAbsent(key, api.Output, "AdminApi log");
        AssertKeyAbsent(key, unconfigured.Output, "unconfigured dashboard log");
    }

    private static ILocator Kpi(IPage page, string name) => page.Locator($"[data-kpi={name}] .kpi-value");

    private static List<string> Numbers(JsonElement pageOfOrders) =>
        pageOfOrders.GetProperty("items").EnumerateArray().Select(po => po.GetProperty("number").GetString()!).ToList();

    private static async Task<List<string>> FirstCellsAsync(IPage page) =>
        (await page.Locator("[data-testid=po-table] tbody tr td:first-child").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    /// <summary>Neither the whole key nor its secret part (everything after the public <c>p2p_{lookup}_</c>).</summary>
    private static void AssertKeyAbsent(string key, string text, string where)
    {
        Assert.False(text.Contains(key, StringComparison.Ordinal), $"The API key appears in the {where}.");
        var secret = key[(key.LastIndexOf('_') + 1)..];
        Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The key's secret part appears in the {where}.");
    }

    private static async Task<JsonElement> GetDataAsync(HttpClient http, string key, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", key);
        using var response = await http.SendAsync(request, ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}.");
        return await ReadJsonAsync(response, ct);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.Clone();
    }

    private TempDirectory NewDirectory()
    {
        var dir = new TempDirectory();
        _directories.Add(dir);
        return dir;
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    private static async Task ScreenshotAsync(IPage page, string fileName)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(RepositoryPaths.Screenshots, fileName),
            FullPage = true,
        });
    }
}

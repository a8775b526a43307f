using System.Text.RegularExpressions;
using Microsoft.Playwright;
using P2P.Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace P2P.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard in a real Chromium against the stub P2P API: what a finance user sees, and what each
/// failure looks like. Screenshots go to docs/images for the admin workflow document.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Overview_ValidKey_ShowsKpisEqualToApiAndThreeCharts()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());

        // The stub's /summary: totalSpend 1234567.89, 42 open POs, 17 awaiting approval, 9 overdue, 28.4 days.
        await Expect(Kpi(page, "total-spend")).ToHaveTextAsync("$1,234,567.89");
        await Expect(Kpi(page, "open-pos")).ToHaveTextAsync("42");
        await Expect(Kpi(page, "awaiting-approval")).ToHaveTextAsync("17");
        await Expect(Kpi(page, "overdue")).ToHaveTextAsync("9");
        await Expect(Kpi(page, "days-to-pay")).ToHaveTextAsync("28.4");

        await Expect(page.Locator("[data-chart=spend-by-supplier] svg rect.bar")).ToHaveCountAsync(10);
        await Expect(page.Locator("[data-chart=spend-by-month] svg circle.point")).ToHaveCountAsync(12);
        await Expect(page.Locator("[data-chart=invoice-aging] svg rect.bar")).ToHaveCountAsync(5);
        await Expect(page.Locator("[data-chart=spend-by-supplier] svg title").First).ToHaveTextAsync("Spend by supplier");
        await Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0);

        await AssertKeyNotInPageAsync(page);
        await ScreenshotAsync(page, "dashboard-overview.png");
    }

    [Fact]
    public async Task Overview_Charts_ReadableMonthsRoundTicksExactAgingAndNamedPeriod()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());

        var month = page.Locator("[data-chart=spend-by-month]");
        await Expect(month.Locator("svg text.label").First).ToHaveTextAsync(new Regex(@"^[A-Z][a-z]{2} \d{4}$"));
        var ticks = await month.Locator("svg text.axis-label").AllTextContentsAsync();
        Assert.Equal(5, ticks.Count);
        Assert.All(ticks, t => Assert.Matches(@"^\$(0|\d+(\.5)?[kM]?)$", t));
        await Expect(page.Locator("[data-chart=invoice-aging] table td.num").First).ToHaveTextAsync(new Regex(@"^\$[\d,]+\.\d\d \(\d+ invoices?\)$"));
        await Expect(Kpi(page, "total-spend").Locator("xpath=..").Locator("[data-period]")).ToHaveTextAsync(new Regex(@"(payments [A-Z][a-z]{2} \d{4} – |all payments up to )\d{1,2} [A-Z][a-z]{2} \d{4}"));
    }

    [Fact]
    public async Task AnyPage_PhoneWidth_NavFitsTheHeaderAndOverviewIsReachable()
    {
        var page = await fixture.NewPageAsync(width: 390, height: 844);

        await page.GotoAsync(new Uri(fixture.Dashboard.BaseUrl, "invoices").ToString());

        var header = await page.Locator("header.topbar").BoundingBoxAsync();
        var overview = page.Locator("header.topbar nav").GetByRole(AriaRole.Link, new() { Name = "Overview" });
        await Expect(overview).ToBeVisibleAsync();
        foreach (var link in await page.Locator("header.topbar nav a").AllAsync())
        {
            var box = (await link.BoundingBoxAsync())!;
            Assert.True(box.Y >= header!.Y && box.Y + box.Height <= header.Y + header.Height, "every nav link lies on the header's dark background");
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, "every nav link is on screen");
        }

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling");
        await ScreenshotAsync(page, "dashboard-phone.png");
        await overview.ClickAsync();
        await Expect(Kpi(page, "total-spend")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Overview_SlowApi_StreamsPlaceholdersThenData()
    {
        var page = await fixture.NewPageAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Api.Hold = hold;
        try
        {
            // Commit = as soon as the first bytes arrive: [StreamRendering] has sent the placeholders by then. The API
            // answers nothing until released, so the screenshot shows the loading state, not the data.
            await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString(), new() { WaitUntil = WaitUntilState.Commit });

            await Expect(page.Locator(".kpis [aria-busy=true]")).ToHaveCountAsync(5);
            await Expect(page.Locator(".chart-card [aria-busy=true]")).ToHaveCountAsync(3);
            await Expect(Kpi(page, "total-spend")).ToHaveCountAsync(0);
            await ScreenshotAsync(page, "dashboard-loading.png");
            hold.SetResult();

            await Expect(Kpi(page, "total-spend")).ToHaveTextAsync("$1,234,567.89", new() { Timeout = 15_000 });
            await Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0);
        }
        finally
        {
            hold.TrySetResult();
            fixture.Api.Hold = null;
        }
    }

    [Fact]
    public async Task PurchaseOrders_NextPageAndStatusFilter_ServedByApi()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Dashboard.BaseUrl, "purchase-orders").ToString());
        var rows = page.Locator("[data-testid=po-table] tbody tr");
        var status = page.GetByTestId("pager-status");

        await Expect(rows).ToHaveCountAsync(20);
        await Expect(status).ToHaveTextAsync("1–20 of 45 · page 1 of 3");
        var firstOnPageOne = await rows.First.Locator("td").First.InnerTextAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("page=2"));
        await Expect(status).ToHaveTextAsync("21–40 of 45 · page 2 of 3");
        Assert.NotEqual(firstOnPageOne, await rows.First.Locator("td").First.InnerTextAsync());

        await page.Locator("select[name=status]").SelectOptionAsync("Open");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("status=Open"));
        await Expect(status).ToHaveTextAsync("1–12 of 12 · page 1 of 1");
        await Expect(rows).ToHaveCountAsync(12);
        var statusCells = page.Locator("[data-testid=po-table] tbody .status");
        await Expect(statusCells).ToHaveCountAsync(12);
        foreach (var cell in await statusCells.AllInnerTextsAsync())
        {
            Assert.Equal("Open", cell);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Amount" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("sort=amount"));
        // The table streams in after its loading placeholder: wait for the rows before reading them.
        var amountCells = page.Locator("[data-testid=po-table] tbody td.num");
        await Expect(amountCells).ToHaveCountAsync(12);
        var amounts = (await amountCells.AllInnerTextsAsync())
            .Select(a => decimal.Parse(a.TrimStart('$'), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(12, amounts.Count);
        Assert.Equal(amounts.OrderByDescending(a => a), amounts);

        await AssertKeyNotInPageAsync(page);
        await ScreenshotAsync(page, "dashboard-purchase-orders.png");
    }

    [Fact]
    public async Task Invoices_OverdueFilter_ShowsOnlyOverdueInvoices()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(new Uri(fixture.Dashboard.BaseUrl, "invoices?overdue=true").ToString());

        var rows = page.Locator("[data-testid=invoice-table] tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        var count = await rows.CountAsync();
        Assert.True(count > 0);
        await Expect(page.Locator("[data-testid=invoice-table] tbody .overdue-tag")).ToHaveCountAsync(count);
        await AssertKeyNotInPageAsync(page);
        await ScreenshotAsync(page, "dashboard-invoices.png");
    }

    [Fact]
    public async Task Invoices_FromAfterTo_ShowsTheApisOwnReason()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(new Uri(fixture.Dashboard.BaseUrl, "invoices?from=2026-06-01&to=2026-01-01").ToString());

        var banner = page.Locator("[data-failure=bad-request]");
        await Expect(banner.Locator("h2")).ToHaveTextAsync("'from' must not be after 'to'.");
        await Expect(banner.GetByRole(AriaRole.Link, new() { Name = "Clear filters" })).ToBeVisibleAsync();
        await AssertKeyNotInPageAsync(page);
    }

    [Fact]
    public async Task Overview_KeyRevoked_ShowsKeyRejected()
    {
        var page = await fixture.NewPageAsync();
        fixture.Api.Mode = StubMode.KeyRevoked;
        try
        {
            await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());

            var banner = page.Locator("[data-failure=key-rejected]");
            await Expect(banner).ToContainTextAsync("Key rejected: invalid or revoked — generate a new one");
            await Expect(banner).ToContainTextAsync("401");
            await Expect(page.Locator("[data-kpi]")).ToHaveCountAsync(0);
            await AssertKeyNotInPageAsync(page);
            await ScreenshotAsync(page, "dashboard-key-rejected.png");
        }
        finally
        {
            fixture.Api.Mode = StubMode.Normal;
        }
    }

    [Fact]
    public async Task Overview_KeyWithoutScope_ShowsMissingScope()
    {
        var page = await fixture.NewPageAsync();
        fixture.Api.Mode = StubMode.MissingScope;
        try
        {
            await page.GotoAsync(fixture.Dashboard.BaseUrl.ToString());

            await Expect(page.Locator("[data-failure=missing-scope]")).ToContainTextAsync("The key lacks scope p2p:read");
            await AssertKeyNotInPageAsync(page);
            await ScreenshotAsync(page, "dashboard-missing-scope.png");
        }
        finally
        {
            fixture.Api.Mode = StubMode.Normal;
        }
    }

    [Fact]
    public async Task Overview_ApiStopped_ShowsCannotReachWithUrlAndRetry()
    {
        var page = await fixture.NewPageAsync();
        var stopped = await StubP2PApi.StartAsync(fixture.Key);
        await stopped.DisposeAsync(); // nothing listens on its port any more
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={fixture.Key}", $"API_BASE_URL={stopped.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);

        await page.GotoAsync(dashboard.BaseUrl.ToString());

        var banner = page.Locator("[data-failure=unreachable]");
        await Expect(banner).ToContainTextAsync($"Cannot reach the API at {stopped.BaseUrl}");
        await Expect(banner.GetByRole(AriaRole.Link, new() { Name = "Retry" })).ToHaveAttributeAsync("href", dashboard.BaseUrl.ToString());
        await AssertKeyNotInPageAsync(page);
        await ScreenshotAsync(page, "dashboard-api-down.png");
    }

    [Fact]
    public async Task AnyPage_NoEnvFile_RedirectsToSetupWithAdminWorkflow()
    {
        var page = await fixture.NewPageAsync();
        using var empty = new TempDirectory();
        await using var dashboard = await DashboardProcess.StartAsync(empty.Path);

        await page.GotoAsync(new Uri(dashboard.BaseUrl, "invoices").ToString());

        await Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseUrl, "setup").ToString());
        await Expect(page.Locator("[data-setup=missing]")).ToContainTextAsync("No API key configured");
        var steps = page.Locator("#steps-heading + ol");
        await Expect(steps).ToContainTextAsync("POST /admin/users/");
        await Expect(steps).ToContainTextAsync("POST /admin/token");
        await Expect(steps).ToContainTextAsync("POST /admin/keys/");
        await Expect(steps).ToContainTextAsync("API_KEY=\"p2p_...\"");
        // One workflow, one wording: docs/admin-workflow.md's six steps, its key name, the token only in Authorize.
        await Expect(steps.Locator("> li")).ToHaveCountAsync(6);
        await Expect(steps).ToContainTextAsync("{\"name\": \"Streamlit App Key\"}");
        await Expect(steps).ToContainTextAsync("paste the token only");
        await Expect(steps).Not.ToContainTextAsync("Bearer <");
        await ScreenshotAsync(page, "dashboard-setup.png");
    }

    [Fact]
    public async Task AnyPage_KeyWithoutP2pPrefix_SetupSaysMalformed()
    {
        var page = await fixture.NewPageAsync();
        const string notAKey = "sk_live_4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";
        using var dir = new TempDirectory();
        dir.WriteEnvFile($"API_KEY={notAKey}", $"API_BASE_URL={fixture.Api.BaseUrl}");
        await using var dashboard = await DashboardProcess.StartAsync(dir.Path);

        await page.GotoAsync(dashboard.BaseUrl.ToString());

        await Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseUrl, "setup").ToString());
        await Expect(page.Locator("[data-setup=malformed]")).ToContainTextAsync("starts with p2p_");
        Assert.DoesNotContain(notAKey, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(notAKey, dashboard.Output, StringComparison.Ordinal);
        await ScreenshotAsync(page, "dashboard-setup-malformed.png");
    }

    [Fact]
    public async Task Setup_ValidKey_ShowsThisKeysRequestsTodayShareOfQuotaAndSevenDays()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(new Uri(fixture.Dashboard.BaseUrl, "setup").ToString());

        await Expect(page.Locator("[data-setup=configured]")).ToBeVisibleAsync();
        var summary = page.Locator("[data-key-usage=summary]");
        await Expect(summary).ToContainTextAsync("Streamlit App Key: 1,234 requests today, 12.3 % of its daily quota of 10,000");
        await Expect(page.Locator("[data-setup=key-usage] svg .column")).ToHaveCountAsync(7);
        await Expect(page.Locator("[data-setup=key-usage] svg .column").Last).ToContainTextAsync("1,234");
        await AssertKeyNotInPageAsync(page);
        await ScreenshotAsync(page, "dashboard-setup-key-usage.png");
    }

    private static ILocator Kpi(IPage page, string name) => page.Locator($"[data-kpi={name}] .kpi-value");

    private async Task AssertKeyNotInPageAsync(IPage page)
    {
        var html = await page.ContentAsync();
        Assert.DoesNotContain(fixture.Key, html, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Key[16..], html, StringComparison.Ordinal); // not even the secret part alone
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

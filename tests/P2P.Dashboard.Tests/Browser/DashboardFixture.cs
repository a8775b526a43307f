using Microsoft.Playwright;
using P2P.Dashboard.Tests.Infrastructure;
using P2P.Tests.Shared;

namespace P2P.Dashboard.Tests.Browser;

/// <summary>
/// One stub P2P API, one dashboard process configured through a <c>.env</c> file in its working
/// directory, and one headless Chromium, shared by the browser tests of a class.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly TempDirectory _workDir = new();
    private IPlaywright? _playwright;

    public string Key { get; } = TestKeys.New();

    internal StubP2PApi Api { get; private set; } = default!;

    internal DashboardProcess Dashboard { get; private set; } = default!;

    public string? ChromiumPath { get; } = Chromium.FindExecutable();

    public IBrowser? Browser { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Api = await StubP2PApi.StartAsync(Key);
        _workDir.WriteEnvFile($"API_KEY=\"{Key}\"", $"API_BASE_URL={Api.BaseUrl}");
        Dashboard = await DashboardProcess.StartAsync(_workDir.Path);
        if (ChromiumPath is not null)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright, ChromiumPath);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Dashboard is not null)
        {
            await Dashboard.DisposeAsync();
        }

        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        _workDir.Dispose();
    }

    /// <summary>A fresh page at a desktop size; skips (or fails under CI) when there is no Chromium.</summary>
    public async Task<IPage> NewPageAsync(int width = 1360, int height = 900)
    {
        Chromium.RequireOrSkip(ChromiumPath);
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }
}

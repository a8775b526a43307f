using Microsoft.Playwright;

namespace P2P.AdminApi.Tests.Browser;

/// <summary>
/// The system Chromium (env <c>P2P_CHROMIUM</c>, else <c>chromium</c> on PATH) driven by Playwright's bundled
/// driver; Playwright's own browser download is never used. Same rules as the dashboard's browser tests.
/// </summary>
internal static class Chromium
{
    public static string? FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("P2P_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Skips the calling test without Chromium, unless <c>P2P_REQUIRE_INFRA=1</c> (CI), where that fails it.</summary>
    public static string RequireOrSkip()
    {
        if (FindExecutable() is { } executable)
        {
            return executable;
        }

        const string reason = "No Chromium found (set P2P_CHROMIUM or put chromium on PATH).";
        if (Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1")
        {
            Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
        }

        Assert.Skip(reason);
        return null!;
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string executable) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
}

using Microsoft.Playwright;

namespace P2P.Tests.Shared;

/// <summary>
/// The system Chromium (env <c>P2P_CHROMIUM</c>, else <c>chromium</c> on PATH) driven by Playwright's
/// bundled driver; Playwright's own browser download is never used. Linked into every test project with browser
/// tests (tests/Shared), so all of them find, skip and launch it the same way.
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
    public static void RequireOrSkip(string? executable)
    {
        if (executable is not null)
        {
            return;
        }

        const string reason = "No Chromium found (set P2P_CHROMIUM or put chromium on PATH).";
        if (Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1")
        {
            Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
        }

        Assert.Skip(reason);
    }

    /// <summary>The executable, or skips (fails under <c>P2P_REQUIRE_INFRA=1</c>) the calling test without one.</summary>
    public static string RequireOrSkip()
    {
        var executable = FindExecutable();
        RequireOrSkip(executable);
        return executable!;
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string executable)
    {
        // Expect() waits 5 s by default; a busy 2-core CI machine can take longer to render Swagger UI or a page.
        // A hang guard, not a timing assertion: the tests wait on what the page shows.
        Assertions.SetDefaultExpectTimeout(30_000);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
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
}

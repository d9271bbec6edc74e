using Microsoft.Playwright;

namespace Shardgate.Tests.Infrastructure;

/// <summary>
/// Debian's chromium under Playwright. Playwright cannot download its own browsers here, so it is pointed at the
/// installed one; <c>--no-sandbox</c> because CI runs as root, where chromium's sandbox refuses to start.
/// </summary>
internal static class Chromium
{
    public static string Path => Environment.GetEnvironmentVariable("SHARDGATE_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shardgate.Hosting;
using Shardgate.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shardgate.Tests.Api.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, driven by Playwright) against the README's demo: three
/// simulated hosts and the gateway on loopback. A screenshot of each page goes to the test output.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string AdminKey = "browser-admin-key";

    [BrowserFact]
    public async Task An_operator_signs_in_sees_the_demo_manages_keys_and_hosts_and_finds_a_request()
    {
        var database = Path.Combine(Path.GetTempPath(), $"dashboard-{Guid.NewGuid():N}.db");
        await using var demo = await DemoEnvironment.StartAsync(0, database, AdminKey, CancellationToken.None);
        var requestId = await ChatAsync(demo);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);

        // Sign in: the key becomes an HttpOnly, SameSite=Strict cookie, and the page keeps no copy of it.
        await page.GotoAsync($"{demo.BaseUrl}/ui");
        await Screenshot(page, "sign-in");
        await page.FillAsync("#admin-key", AdminKey);
        await page.ClickAsync("#login button[type=submit]");
        await Expect(page.Locator("#totals")).ToContainTextAsync("Requests");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "sg_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(AdminKey, await page.EvaluateAsync<string>("JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie"), StringComparison.Ordinal);
        await Expect(page.Locator("#per-model")).ToContainTextAsync("moonshotai/Kimi-K2.6");
        await Screenshot(page, "overview");

        // The three demo models and their hosts.
        await page.GotoAsync($"{demo.BaseUrl}/ui#/models");
        foreach (var (model, host) in new[] { ("moonshotai/Kimi-K2.6", "sim-kimi-1"), ("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", "sim-qwen-1"), ("MiniMaxAI/MiniMax-M2.7", "sim-minimax-1") })
        {
            await Expect(page.Locator("#models")).ToContainTextAsync(model);
            await Expect(page.Locator("#models")).ToContainTextAsync(host);
        }

        await Screenshot(page, "models");

        // An account, credited; a key, shown once.
        await page.GotoAsync($"{demo.BaseUrl}/ui#/accounts");
        await page.FillAsync("#account-name", "browser-account");
        await page.ClickAsync("#create-account button[type=submit]");
        await page.FillAsync("#credit-amount", "5000");
        await page.ClickAsync("#credit button[type=submit]");
        await Expect(page.Locator("#balance")).ToContainTextAsync("5,000");
        await page.FillAsync("#create-key input[name=requests_per_minute]", "60");
        await page.ClickAsync("#create-key button[type=submit]");
        var secret = await page.Locator("#new-key-secret").TextContentAsync();
        Assert.StartsWith("sg-", secret, StringComparison.Ordinal);
        await Expect(page.Locator("#copy-key")).ToBeVisibleAsync();
        await Screenshot(page, "account");
        await page.ReloadAsync();
        await Expect(page.Locator("#balance")).ToContainTextAsync("5,000");
        await Expect(page.Locator("#new-key-secret")).ToHaveCountAsync(0);
        using (var keyed = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) })
        {
            keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/v1/models")).StatusCode);
        }

        await page.GotoAsync($"{demo.BaseUrl}/ui#/accounts");
        await Expect(page.Locator("#accounts")).ToContainTextAsync("browser-account");
        await Screenshot(page, "accounts");

        // A host disabled from the Hosts page.
        await page.GotoAsync($"{demo.BaseUrl}/ui#/hosts");
        await page.ClickAsync("button[data-action=disable][data-node=sim-qwen-1]");
        await Expect(page.Locator("button[data-action=enable][data-node=sim-qwen-1]")).ToBeVisibleAsync();
        await Expect(page.Locator("#hosts tr", new() { HasText = "sim-qwen-1" })).ToContainTextAsync("disabled");
        using (var admin = Admin(demo))
        {
            var node = await admin.GetFromJsonAsync<JsonObject>("/admin/v1/nodes/sim-qwen-1");
            Assert.False(node!["enabled"]!.GetValue<bool>());
        }

        await Screenshot(page, "hosts");

        // The host operators' view: the demo's hosts are admin-registered, with what they served by epoch.
        await page.GotoAsync($"{demo.BaseUrl}/ui#/participants");
        await Expect(page.Locator("#participants tr", new() { HasText = "sim-kimi-1" })).ToContainTextAsync("admin", new() { Timeout = 30_000 });
        await Screenshot(page, "participants");

        // The request in the log, and its detail.
        await page.GotoAsync($"{demo.BaseUrl}/ui#/requests");
        await page.ClickAsync($"a[href='#/requests/{requestId}']");
        await Expect(page.Locator("#request-detail")).ToContainTextAsync("sim-kimi-1");
        await Expect(page.Locator("#request-detail")).ToContainTextAsync("/v1/chat/completions");
        await Screenshot(page, "request");
        await page.GotoAsync($"{demo.BaseUrl}/ui#/requests");
        await Expect(page.Locator("#requests")).ToContainTextAsync(requestId);
        await Screenshot(page, "requests");

        Assert.Empty(consoleErrors);
    }

    private static async Task<string> ChatAsync(DemoEnvironment demo)
    {
        using var client = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", demo.ApiKey);
        using var chat = await client.PostChatAsync(ChatBodies.Simple("moonshotai/Kimi-K2.6", "for the log", stream: true));
        chat.EnsureSuccessStatusCode();
        await chat.Content.ReadAsStringAsync();
        return chat.Headers.GetValues("X-Request-Id").Single();
    }

    private static HttpClient Admin(DemoEnvironment demo)
    {
        var admin = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return admin;
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
    }
}

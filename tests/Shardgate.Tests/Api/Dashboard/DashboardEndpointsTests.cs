using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Dashboard;

/// <summary>Sign-in, the session cookie and CSRF, over HTTP on a real Kestrel.</summary>
public sealed class DashboardEndpointsTests
{
    [Fact]
    public async Task Without_an_admin_key_the_dashboard_does_not_exist()
    {
        await using var gateway = await GatewayHarness.StartAsync(withAdminKey: false);
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        foreach (var path in new[] { "/ui", "/ui/", "/ui/assets/app.js", "/ui/session" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task The_page_and_its_assets_are_served_with_a_strict_content_security_policy()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var page = await client.GetAsync("/ui");
        using var script = await client.GetAsync("/ui/assets/app.js");
        using var chart = await client.GetAsync("/ui/assets/vendor/uPlot.iife.min.js");
        using var missing = await client.GetAsync("/ui/assets/nothing.js");

        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_wrong_admin_key_gets_no_session()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var refused = await client.PostAsJsonAsync("/ui/login", new JsonObject { ["admin_key"] = "guess" });
        using var empty = await client.PostAsJsonAsync("/ui/login", new JsonObject());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("admin_key", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_cookie_reads_the_admin_api_and_acts_only_with_its_csrf_token()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = gateway.BaseUrl };

        using var login = await client.PostAsJsonAsync("/ui/login", new JsonObject { ["admin_key"] = GatewayHarness.AdminKey });
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        var csrf = (await login.Content.ReadFromJsonAsync<JsonObject>())!["csrf"]!.GetValue<string>();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/v1/accounts")).StatusCode);
        using var forged = await client.PostAsJsonAsync("/admin/v1/accounts", new JsonObject { ["name"] = "no-token" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("csrf_token_invalid", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/accounts") { Content = JsonContent.Create(new JsonObject { ["name"] = "with-token" }) };
        create.Headers.Add("X-CSRF-Token", csrf);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(create)).StatusCode);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/ui/logout");
        logout.Headers.Add("X-CSRF-Token", csrf);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/admin/v1/accounts")).StatusCode);
        Assert.False((await client.GetFromJsonAsync<JsonObject>("/ui/session"))!["signed_in"]!.GetValue<bool>());
    }
}

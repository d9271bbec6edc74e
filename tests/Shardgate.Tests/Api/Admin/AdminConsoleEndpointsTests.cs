using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Admin;

/// <summary>The admin endpoints the dashboard and the CLI read: accounts, models, hosts, network and stats.</summary>
public sealed class AdminConsoleEndpointsTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Fact]
    public async Task Accounts_are_listed_with_balances_one_page_at_a_time()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.CreateAccountWithKeyAsync("first", credit: 500);
        await gateway.CreateAccountWithKeyAsync("second");

        var all = await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/accounts");
        var page = await gateway.Admin.GetFromJsonAsync<JsonArray>($"/admin/v1/accounts?after={all![0]!["id"]}&limit=1");
        using var bad = await gateway.Admin.GetAsync("/admin/v1/accounts?limit=0");

        Assert.Equal(["first", "second"], all.Select(a => a!["name"]!.GetValue<string>()));
        Assert.Equal(500, all[0]!["balance"]!.GetValue<long>());
        Assert.Equal("second", Assert.Single(page!)!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_show_hosts_window_prices_aliases_and_fallbacks()
    {
        await using var gateway = await GatewayHarness.StartAsync(
            Backend.Sqlite,
            "--Shardgate:Contract:Aliases:qwen", Qwen,
            "--Shardgate:Fallbacks:auto:0:Model", Qwen);
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 16_384 });
        await gateway.SetPriceAsync(Qwen, 2, 7);

        var model = Assert.Single((await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/models"))!)!;

        Assert.Equal(Qwen, model["id"]!.GetValue<string>());
        Assert.Equal("qwen", model["family"]!.GetValue<string>());
        Assert.Equal(16_384, model["context_window"]!.GetValue<int>());
        Assert.Equal(2, model["input_per_token"]!.GetValue<long>());
        Assert.Equal(7, model["output_per_token"]!.GetValue<long>());
        Assert.Equal(["qwen-1"], model["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(1, model["healthy_hosts"]!.GetValue<int>());
        Assert.Equal(["qwen"], model["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("auto", model["fallbacks"]![0]!["alias"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hosts_include_disabled_nodes_and_recent_failures()
    {
        await using var gateway = await GatewayHarness.StartAsync(Backend.Sqlite, "--Shardgate:Hedging:Enabled", "false");
        await gateway.AddHostAsync("failing", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=500" }, weight: 100);
        await gateway.AddHostAsync("spare", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = gateway.CreateClient(await gateway.CreateApiKeyAsync());
        using (var served = await client.PostChatAsync(ChatBodies.Simple(Qwen)))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        (await gateway.Admin.PostAsync("/admin/v1/nodes/spare/disable", null)).EnsureSuccessStatusCode();
        var hosts = (await gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        var failing = hosts.Single(h => h!["id"]!.GetValue<string>() == "failing")!;
        var spare = hosts.Single(h => h!["id"]!.GetValue<string>() == "spare")!;

        Assert.False(spare["enabled"]!.GetValue<bool>());
        Assert.Equal([Qwen], spare["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.NotEmpty(failing["recent_failures"]!.AsArray());
        Assert.Equal("transport", failing["recent_failures"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stats_agree_with_the_request_log_and_refuse_an_unknown_window()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await gateway.SetPriceAsync(Qwen, 1, 4);
        var (_, key) = await gateway.CreateAccountWithKeyAsync("stats", credit: 1_000_000);
        using var client = gateway.CreateClient(key);
        for (var i = 0; i < 3; i++)
        {
            using var chat = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"stat {i}", stream: true));
            await chat.Content.ReadAsStringAsync();
            await gateway.WaitForLogRowAsync(chat.Headers.GetValues("X-Request-Id").Single());
        }

        var stats = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/stats?window=1h"))!;
        var usage = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/usage"))!["data"]![0]!;
        using var bad = await gateway.Admin.GetAsync("/admin/v1/stats?window=2h");

        var figures = stats["models"]![0]!["figures"]!;
        Assert.Equal(3, figures["served"]!.GetValue<long>());
        Assert.Equal(usage["cost"]!.GetValue<long>(), figures["cost"]!.GetValue<long>());
        Assert.Equal(usage["output_tokens"]!.GetValue<long>(), figures["output_tokens"]!.GetValue<long>());
        Assert.NotNull(figures["first_token_p95_ms"]);
        Assert.Equal(12, stats["series"]!.AsArray().Count);
        Assert.Equal(3, stats["series"]!.AsArray().Sum(b => b!["requests"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_network_phase_is_reported()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var network = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/network"))!;

        Assert.Equal("Inference", network["phase"]!.GetValue<string>());
        Assert.False(network["poc_active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Spend_per_model_and_account_equals_the_ledgers_charges()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        await gateway.AddHostAsync("qwen-1", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await gateway.AddHostAsync("kimi-1", new SimulatedHostOptions { Family = ModelFamily.Kimi });
        await gateway.SetPriceAsync(Qwen, 1, 4);
        await gateway.SetPriceAsync(ModelFamilies.KimiModelId, 2, 7);
        var accounts = new List<long>();
        foreach (var (name, model, count) in new[] { ("a", Qwen, 3), ("a2", ModelFamilies.KimiModelId, 2), ("b", Qwen, 1) })
        {
            var (account, key) = await gateway.CreateAccountWithKeyAsync(name, credit: 1_000_000);
            accounts.Add(account);
            using var client = gateway.CreateClient(key);
            for (var i = 0; i < count; i++)
            {
                using var chat = await client.PostChatAsync(ChatBodies.Simple(model, $"spend {i}"));
                chat.EnsureSuccessStatusCode();
                await gateway.WaitForLogRowAsync(chat.Headers.GetValues("X-Request-Id").Single());
            }
        }

        var spend = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/spend?by=model,account&since=24h"))!;
        var byDay = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/v1/spend?by=day"))!;
        using var bad = await gateway.Admin.GetAsync("/admin/v1/spend?by=colour");

        var probe = await gateway.LedgerAsync();
        foreach (var account in accounts)
        {
            var rows = spend["data"]!.AsArray().Where(r => r!["account_id"]!.GetValue<long>() == account).ToList();
            Assert.Single(rows);
            Assert.Equal(probe.ChargedByLedger(account), rows.Sum(r => r!["cost"]!.GetValue<long>()));
        }

        var total = accounts.Sum(probe.ChargedByLedger);
        Assert.Equal(total, spend["totals"]!["cost"]!.GetValue<long>());
        Assert.Equal(total, byDay["data"]!.AsArray().Sum(r => r!["cost"]!.GetValue<long>()));
        Assert.Equal(6, spend["totals"]!["requests"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Storage.Redis;

/// <summary>
/// Two gateways on one PostgreSQL database and one Redis, their periodic reload set to an hour, so only the
/// replicas' bus can carry a change from one to the other.
/// </summary>
public sealed class SharedHostStateTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private static readonly SimulatedHostOptions QwenHost = new() { Family = ModelFamily.Qwen };

    private readonly string _prefix = TestRedis.NewPrefix();

    private string[] Shared(params string[] more) =>
    [
        "--Shardgate:Redis:Configuration", TestRedis.Configuration!,
        "--Shardgate:Redis:Prefix", _prefix,
        "--Shardgate:Redis:Timeout", "00:00:05",
        "--Shardgate:NodeRefreshInterval", "01:00:00",
        "--Shardgate:KeyCacheTtl", "01:00:00",
        "--Shardgate:Hedging:Enabled", "false",
        "--Shardgate:Upstream:InterChunkTimeout", "00:00:00.300",
        .. more,
    ];

    [RedisFact(needsPostgres: true)]
    public async Task A_host_quarantined_by_one_replica_gets_no_request_from_the_other()
    {
        await using var first = await GatewayHarness.StartAsync(Backend.Postgres, Shared());
        // The stalling host has the higher weight, so the first replica picks it and quarantines it.
        var stalling = await first.AddHostAsync("stalling", QwenHost with { Fault = "stall-after=2" }, weight: 100);
        var healthy = await first.AddHostAsync("healthy", QwenHost);
        var key = await first.CreateApiKeyAsync();
        await using var second = await GatewayHarness.StartAsync(Backend.Postgres, Shared("--Shardgate:Database", first.DatabasePath));

        using (var stalled = await first.CreateClient(key).PostChatAsync(ChatBodies.Simple(Qwen, "stall", stream: true)))
        {
            Assert.Contains("upstream_stream_interrupted", await stalled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await WaitUntilAsync(async () => await StatusAsync(second, "stalling") == "quarantined");
        var before = stalling.Requests;
        using var client = second.CreateClient(key);
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"elsewhere {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(before, stalling.Requests);
        Assert.Equal(5, healthy.Requests);
    }

    [RedisFact(needsPostgres: true)]
    public async Task A_node_disabled_and_a_key_revoked_on_one_replica_take_effect_on_the_other()
    {
        await using var first = await GatewayHarness.StartAsync(Backend.Postgres, Shared());
        await first.AddHostAsync("only", QwenHost);
        var (account, key) = await first.CreateAccountWithKeyAsync("revoked");
        await using var second = await GatewayHarness.StartAsync(Backend.Postgres, Shared("--Shardgate:Database", first.DatabasePath));
        using var client = second.CreateClient(key);
        using (var served = await client.PostChatAsync(ChatBodies.Simple(Qwen)))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        (await first.Admin.PostAsync("/admin/v1/nodes/only/disable", null)).EnsureSuccessStatusCode();
        await WaitUntilAsync(async () => (await client.PostChatAsync(ChatBodies.Simple(Qwen))).StatusCode == HttpStatusCode.NotFound);

        var keys = await first.Admin.GetFromJsonAsync<JsonArray>($"/admin/v1/accounts/{account}/keys");
        (await first.Admin.PostAsync($"/admin/v1/accounts/{account}/keys/{keys![0]!["id"]}/revoke", null)).EnsureSuccessStatusCode();
        await WaitUntilAsync(async () => (await client.PostChatAsync(ChatBodies.Simple(Qwen))).StatusCode == HttpStatusCode.Unauthorized);
    }

    [RedisFact(needsPostgres: true)]
    public async Task A_catalog_change_on_one_replica_takes_effect_on_the_other()
    {
        await using var first = await GatewayHarness.StartAsync(Backend.Postgres, Shared());
        await first.AddHostAsync("only", QwenHost);
        var key = await first.CreateApiKeyAsync();
        await using var second = await GatewayHarness.StartAsync(Backend.Postgres, Shared("--Shardgate:Database", first.DatabasePath));
        using var client = second.CreateClient(key);
        using (var unknown = await client.PostChatAsync(ChatBodies.Simple("house-model")))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var catalog = $"models:\n  {Qwen}:\n    family: qwen\n    prices: {{input: 0, output: 0}}\n    aliases: [house-model]\n";
        (await first.Admin.PutAsync("/admin/v1/catalog", new StringContent(catalog))).EnsureSuccessStatusCode();

        await WaitUntilAsync(async () => (await client.PostChatAsync(ChatBodies.Simple("house-model"))).StatusCode == HttpStatusCode.OK);
    }

    private static async Task<string?> StatusAsync(GatewayHarness harness, string node)
    {
        var hosts = await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts");
        return hosts!.Single(h => h!["id"]!.GetValue<string>() == node)!["health"]!["status"]!.GetValue<string>();
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, "the change did not reach the other replica");
}

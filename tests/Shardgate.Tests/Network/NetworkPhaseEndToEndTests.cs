using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Network;

/// <summary>Network phases from a (fake) Gonka API: during PoC only preserved nodes serve; with none, 503 until the phase ends.</summary>
public sealed class NetworkPhaseEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Fact]
    public async Task During_poc_only_preserved_nodes_serve_and_with_none_the_answer_is_503_until_the_phase_ends()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.Nodes.AddRange(["preserved", "regular"]);
        // The regular node weighs more, so a request served by the preserved one shows the PoC phase has been seen.
        api.Weights["regular"] = 60_000;
        await using var harness = await GatewayHarness.StartAsync(true,
            "--Shardgate:Network:Source", "gonka",
            "--Shardgate:Network:PublicApi", api.BaseUrl.ToString(),
            "--Shardgate:Network:PollInterval", "00:00:00.100",
            "--Shardgate:Network:BlockSeconds", "6");
        var preserved = await harness.AddHostAsync("preserved", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        var regular = await harness.AddHostAsync("regular", new SimulatedHostOptions { Family = ModelFamily.Qwen }, weight: 10);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using (var inference = await client.PostChatAsync(ChatBodies.Simple(Qwen, "inference phase")))
        {
            Assert.Equal(HttpStatusCode.OK, inference.StatusCode);
        }

        api.Phase = "PoCGenerate";
        api.PreservedNodes.Add("preserved");
        await EventuallyAsync(async () =>
        {
            var before = preserved.Requests;
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, "during poc"));
            return r.StatusCode == HttpStatusCode.OK && preserved.Requests == before + 1;
        });
        var regularBefore = regular.Requests;
        for (var i = 0; i < 5; i++)
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"poc {i}"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        Assert.Equal(regularBefore, regular.Requests);

        api.PreservedNodes.Clear();
        HttpResponseMessage? blocked = null;
        await EventuallyAsync(async () =>
        {
            blocked?.Dispose();
            blocked = await client.PostChatAsync(ChatBodies.Simple(Qwen, "no preserved node"));
            return blocked.StatusCode == HttpStatusCode.ServiceUnavailable;
        });
        using (blocked)
        {
            Assert.Equal("60", blocked!.Headers.GetValues("Retry-After").Single());
            Assert.Equal("network_poc", (await blocked.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        }

        api.Phase = "Inference";
        await EventuallyAsync(async () =>
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, "back"));
            return r.StatusCode == HttpStatusCode.OK;
        });
    }

    [Fact]
    public async Task A_confirmation_poc_given_as_a_number_blocks_too()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.Nodes.Add("only");
        api.ConfirmationPhase = 2;
        await using var harness = await GatewayHarness.StartAsync(true,
            "--Shardgate:Network:Source", "gonka",
            "--Shardgate:Network:PublicApi", api.BaseUrl.ToString(),
            "--Shardgate:Network:PollInterval", "00:00:00.100");
        await harness.AddHostAsync("only", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        await EventuallyAsync(async () =>
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen));
            return r.StatusCode == HttpStatusCode.ServiceUnavailable;
        });
    }

    [Fact]
    public async Task The_networks_node_weights_replace_the_registered_ones_in_selection()
    {
        await using var api = await FakeGonkaApi.StartAsync();
        api.Nodes.AddRange(["heavy", "light"]);
        api.Weights["heavy"] = 9000;
        api.Weights["light"] = 1000;
        await using var harness = await GatewayHarness.StartAsync(true,
            "--Shardgate:Network:Source", "gonka",
            "--Shardgate:Network:PublicApi", api.BaseUrl.ToString(),
            "--Shardgate:Network:PollInterval", "00:00:00.100");
        // Registered the other way round: the network's weights must win.
        var heavy = await harness.AddHostAsync("heavy", new SimulatedHostOptions { Family = ModelFamily.Qwen }, weight: 1);
        var light = await harness.AddHostAsync("light", new SimulatedHostOptions { Family = ModelFamily.Qwen }, weight: 50);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        await EventuallyAsync(async () =>
        {
            var hosts = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
            return hosts.Single(h => h!["id"]!.GetValue<string>() == "heavy")!["effective_weight"]!.GetValue<double>() == 9000;
        });

        for (var i = 0; i < 6; i++)
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"weighted {i}"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        Assert.Equal((6, 0), (heavy.Requests, light.Requests));

        // A node the network weighs at zero has nothing to offer: traffic moves to the other.
        api.Weights["heavy"] = 0;
        await EventuallyAsync(async () =>
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, "after the change"));
            return r.StatusCode == HttpStatusCode.OK && light.Requests > 0;
        });
        var before = heavy.Requests;
        for (var i = 0; i < 4; i++)
        {
            using var r = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"zero {i}"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        Assert.Equal(before, heavy.Requests);
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, "the gateway did not follow the network's phase");
}

using System.Net;
using System.Text.Json.Nodes;
using Shardgate.Network;
using Shardgate.Routing;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

public sealed class RendezvousTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    private static readonly UpstreamHost[] Hosts = [.. Enumerable.Range(1, 5).Select(i => new UpstreamHost($"node-{i}", new Uri($"http://127.0.0.1:{9000 + i}/"), 8, 1))];

    [Fact]
    public void A_prompt_has_one_home_whatever_the_order_of_the_hosts_and_removing_a_host_moves_only_its_own()
    {
        var keys = Enumerable.Range(0, 500).Select(i => new AffinityKeys(null, [(ulong)i * 7919, ((ulong)i * 104_729) + 1])).ToList();
        var homes = keys.Select(k => Rendezvous.Home(k, Hosts)).ToList();
        var reversed = keys.Select(k => Rendezvous.Home(k, [.. Hosts.Reverse()])).ToList();
        Assert.Equal(homes, reversed);
        // Spread over every host, roughly evenly.
        Assert.All(Hosts, h => Assert.InRange(homes.Count(n => n == h.NodeId), 50, 150));

        var without = Hosts.Where(h => h.NodeId != "node-3").ToArray();
        for (var i = 0; i < keys.Count; i++)
        {
            var moved = Rendezvous.Home(keys[i], without);
            Assert.True(homes[i] == "node-3" ? moved != "node-3" : moved == homes[i], $"prompt {i} moved from {homes[i]} to {moved}");
        }
    }

    [Fact]
    public void A_request_with_nothing_stable_to_hash_has_no_home() =>
        Assert.Null(Rendezvous.Home(AffinityKeys.None, Hosts));

    [Fact]
    public async Task Each_turn_of_a_conversation_reaches_the_same_host_whichever_replica_receives_it()
    {
        await using var first = await GatewayHarness.StartAsync();
        var hosts = new List<SimulatedHost>();
        for (var i = 0; i < 4; i++)
        {
            hosts.Add(await first.AddHostAsync($"qwen-{i}", new SimulatedHostOptions { Family = ModelFamily.Qwen }));
        }

        // Two more replicas that share nothing with the first but the hosts they route to.
        await using var second = await GatewayHarness.StartAsync();
        await using var third = await GatewayHarness.StartAsync();
        GatewayHarness[] replicas = [first, second, third];
        foreach (var replica in replicas[1..])
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                await replica.RegisterAsync($"qwen-{i}", hosts[i].BaseUrl, Qwen, 32_768, 64);
            }
        }

        var clients = new List<HttpClient>();
        foreach (var replica in replicas)
        {
            clients.Add(replica.CreateClient(await replica.CreateApiKeyAsync()));
        }

        var homes = new HashSet<string>(StringComparer.Ordinal);
        for (var conversation = 0; conversation < 8; conversation++)
        {
            var messages = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You are terse." },
                new JsonObject { ["role"] = "user", ["content"] = $"Conversation {conversation}: summarize chapter one." });
            var nodes = new List<string>();
            for (var turn = 0; turn < 3; turn++)
            {
                var replica = (conversation + turn) % replicas.Length;
                using var response = await clients[replica].PostChatAsync(new JsonObject { ["model"] = Qwen, ["max_tokens"] = 8, ["messages"] = messages.DeepClone() });
                var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var row = await replicas[replica].WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
                nodes.Add(row["node_id"]!.GetValue<string>());
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = answer["choices"]![0]!["message"]!["content"]!.GetValue<string>() });
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"And chapter {turn + 2}?" });
            }

            Assert.Single(nodes.Distinct());
            homes.Add(nodes[0]);
        }

        // The conversations are spread, not all sent to one host.
        Assert.True(homes.Count > 1, "every conversation went to the same host");
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

/// <summary>Multi-turn conversations stay on the host that holds their prefix, which the host's prefix cache shows.</summary>
public sealed class AffinityEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private static readonly string SystemPrompt = "You are a meticulous assistant. " + new string('s', 2_000);

    [Fact]
    public async Task Every_turn_of_a_conversation_returns_to_its_host_and_hits_its_prefix_cache()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var hosts = new List<SimulatedHost>();
        for (var i = 0; i < 4; i++)
        {
            hosts.Add(await harness.AddHostAsync($"h{i}", new SimulatedHostOptions { Family = ModelFamily.Qwen }));
        }

        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        for (var conversation = 0; conversation < 6; conversation++)
        {
            var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = SystemPrompt + conversation });
            string? firstNode = null;
            for (var turn = 0; turn < 4; turn++)
            {
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"turn {turn} of conversation {conversation}" });
                using var response = await client.PostChatAsync(new JsonObject { ["model"] = Qwen, ["messages"] = messages.DeepClone() });
                var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = body["choices"]![0]!["message"]!["content"]!.GetValue<string>() });
                var node = (await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single()))["node_id"]!.GetValue<string>();
                firstNode ??= node;
                Assert.Equal(firstNode, node);
                if (turn > 0)
                {
                    Assert.True(body["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>() > 500, $"turn {turn} missed the prefix cache");
                }
            }
        }
    }

    [Fact]
    public async Task Requests_sharing_a_prompt_cache_key_share_a_host_though_the_key_never_reaches_it()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var hosts = new List<SimulatedHost>();
        for (var i = 0; i < 4; i++)
        {
            hosts.Add(await harness.AddHostAsync($"h{i}", new SimulatedHostOptions { Family = ModelFamily.Qwen }));
        }

        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        var nodes = new HashSet<string>();
        for (var i = 0; i < 8; i++)
        {
            var body = ChatBodies.Simple(Qwen, $"unrelated question {i}");
            body["prompt_cache_key"] = "tenant-42";
            using var response = await client.PostChatAsync(body);
            nodes.Add((await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single()))["node_id"]!.GetValue<string>());
        }

        Assert.Single(nodes);
        Assert.All(hosts.Where(h => h.Requests > 0), h => Assert.DoesNotContain("prompt_cache_key", System.Text.Encoding.UTF8.GetString(h.LastRequestBody.Span), StringComparison.Ordinal));
    }
}

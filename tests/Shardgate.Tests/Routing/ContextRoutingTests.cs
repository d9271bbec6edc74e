using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

/// <summary>Long prompts go only where they fit; a host's refusal moves them to a bigger host.</summary>
public sealed class ContextRoutingTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    // About 20,000 tokens by the simulator's count (four bytes a token).
    private static readonly string LongPrompt = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 1_800));

    [Fact]
    public async Task A_long_prompt_skips_hosts_whose_window_is_too_small()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var small = await harness.AddHostAsync("small", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 8_192 }, weight: 10);
        var big = await harness.AddHostAsync("big", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 65_536 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, LongPrompt + i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, small.Requests);
        Assert.Equal(5, big.Requests);
    }

    [Fact]
    public async Task A_host_that_refuses_for_length_hands_the_request_to_a_bigger_host()
    {
        await using var harness = await GatewayHarness.StartAsync();
        // Registered without --max-model-len: the gateway cannot know this host is small until it says so.
        var small = await SimulatedHost.StartAsync(new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 8_192 });
        await using var _ = small;
        using (var node = await harness.Admin.PostAsJsonAsync("/admin/v1/nodes", new JsonObject
        {
            ["id"] = "unknown-window",
            ["host"] = small.BaseUrl.Host,
            ["inference_port"] = small.BaseUrl.Port,
            ["max_concurrent"] = 8,
            ["weight"] = 10,
            ["models"] = new JsonObject { [Qwen] = new JsonObject() },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, node.StatusCode);
        }

        var big = await harness.AddHostAsync("big", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 65_536 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, LongPrompt));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, big.Requests);
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("big", row["node_id"]!.GetValue<string>());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_no_host_fits_the_answer_states_the_largest_window_and_the_need()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("a", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 8_192 });
        await harness.AddHostAsync("b", new SimulatedHostOptions { Family = ModelFamily.Qwen, MaxModelLen = 16_384 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, LongPrompt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
        Assert.Equal("messages", error["param"]!.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.Contains("the largest context window is 16384 tokens", message, StringComparison.Ordinal);
        Assert.Matches("needs about \\d+ tokens", message);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

public sealed class ContractConfigurationTests
{
    [Fact]
    public async Task Aliases_and_per_model_limits_come_from_configuration()
    {
        await using var harness = await GatewayHarness.StartAsync(
            true,
            "--Shardgate:Contract:Aliases:fast", ModelFamilies.QwenModelId,
            $"--Shardgate:Contract:Models:{ModelFamilies.QwenModelId}:MaxTokensCap", "1000",
            "--Shardgate:Contract:DefaultMaxTokens", "500");
        var host = await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        var body = ChatBodies.Simple("fast");
        body["max_tokens"] = 5000;
        using (var capped = await client.PostChatAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, capped.StatusCode);
            Assert.Equal(1000, JsonNode.Parse(host.LastRequestBody.Span)!["max_tokens"]!.GetValue<int>());
        }

        using var defaulted = await client.PostChatAsync(ChatBodies.Simple("fast"));
        Assert.Equal(500, JsonNode.Parse(host.LastRequestBody.Span)!["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_alias_ending_in_a_star_takes_every_name_it_prefixes()
    {
        await using var harness = await GatewayHarness.StartAsync(
            true,
            "--Shardgate:Contract:Aliases:claude-*", ModelFamilies.QwenModelId,
            "--Shardgate:Contract:Aliases:claude-opus-*", ModelFamilies.KimiModelId);
        await harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        await harness.AddHostAsync("k", new SimulatedHostOptions { Family = ModelFamily.Kimi });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        foreach (var (requested, served) in new[] { ("claude-opus-4-8", ModelFamilies.KimiModelId), ("Claude-Sonnet-4-6", ModelFamilies.QwenModelId), ("claude-haiku-4-5-20251001", ModelFamilies.QwenModelId) })
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(requested));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(served, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["model"]!.GetValue<string>());
        }

        using var unknown = await client.PostChatAsync(ChatBodies.Simple("gpt-5"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

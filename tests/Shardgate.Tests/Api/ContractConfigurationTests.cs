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
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Contract;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

/// <summary>The contract through the real gateway: what the simulated host receives, and what the client is told.</summary>
public sealed class ContractEndToEndTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    [Theory]
    [InlineData("kimi")]
    [InlineData("qwen")]
    [InlineData("minimax")]
    public async Task The_host_receives_exactly_the_normalized_body(string family)
    {
        var host = family switch { "kimi" => gateway.Kimi, "qwen" => gateway.Qwen, _ => gateway.MiniMax };
        using var content = new StringContent(File.ReadAllText(GoldenContractTests.GoldenPath(family, "request")), Encoding.UTF8, "application/json");

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", content);
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = JsonNode.Parse(File.ReadAllText(GoldenContractTests.GoldenPath(family, "upstream")));
        var received = JsonNode.Parse(host.LastRequestBody.Span);
        Assert.True(JsonNode.DeepEquals(expected, received), received!.ToJsonString());
    }

    [Fact]
    public async Task A_refused_parameter_is_a_400_naming_it_and_linking_its_rule()
    {
        var body = ChatBodies.Simple(ModelFamilies.QwenModelId);
        body["guided_regex"] = "a+";

        using var response = await gateway.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("unsupported_parameter", error["code"]!.GetValue<string>());
        Assert.Equal("guided_regex", error["param"]!.GetValue<string>());
        Assert.Contains("structured_outputs.regex", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("docs/contract.md#unsupported_parameter", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kimi-k2.6")]
    [InlineData("MOONSHOTAI/KIMI-K2.6")]
    public async Task Short_and_differently_cased_model_names_reach_the_canonical_model(string name)
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ModelFamilies.KimiModelId, (await response.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contract_changes_are_reported_in_warning_headers()
    {
        var body = ChatBodies.Simple(ModelFamilies.KimiModelId);
        body["max_tokens"] = 9000;
        using var capped = await gateway.Client.PostChatAsync(body);
        body["max_tokens"] = 300;
        using var tight = await gateway.Client.PostChatAsync(body);

        Assert.Contains(capped.Headers.GetValues("X-Shardgate-Warning"), w => w.StartsWith("max-tokens-capped", StringComparison.Ordinal));
        Assert.Contains(tight.Headers.GetValues("X-Shardgate-Warning"), w => w.StartsWith("kimi-output-budget", StringComparison.Ordinal));
    }
}

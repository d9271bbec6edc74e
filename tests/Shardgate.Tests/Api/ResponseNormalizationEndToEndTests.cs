using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

/// <summary>The response side of the contract, through the gateway against simulated hosts.</summary>
public sealed class ResponseNormalizationEndToEndTests(ThreeFamilyGateway gateway) : IClassFixture<ThreeFamilyGateway>
{
    private static readonly JsonArray WeatherTool = new(new JsonObject
    {
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = "get_weather", ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""") },
    });

    [Fact]
    public async Task MiniMax_thinking_arrives_as_reasoning_content_without_think_tags()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(ModelFamilies.MiniMaxModelId, "hi [[sim:reasoning=5]] [[sim:tokens=4]]"));
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["message"]!;

        Assert.Equal(5, message["reasoning_content"]!.GetValue<string>().Split(' ').Length);
        Assert.DoesNotContain("think>", message["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(4, message["content"]!.GetValue<string>().Split(' ').Length);
    }

    [Fact]
    public async Task MiniMax_streams_reasoning_deltas_then_clean_content()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(ModelFamilies.MiniMaxModelId, "stream [[sim:reasoning=6]] [[sim:tokens=3]]", stream: true));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        var reasoning = string.Concat(payloads.Where(p => p != "[DONE]").Select(p => JsonNode.Parse(p)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["reasoning_content"]?.GetValue<string>()));
        var content = Sse.Content(payloads);
        Assert.Equal(6, reasoning.Split(' ').Length);
        Assert.DoesNotContain("think>", content, StringComparison.Ordinal);
        Assert.Equal(3, content.Split(' ').Length);
        Assert.Equal("[DONE]", payloads[^1]);
    }

    [Fact]
    public async Task Kimi_tool_call_ids_are_unique_across_n_choices()
    {
        var body = ChatBodies.Simple(ModelFamilies.KimiModelId, "get_weather in Paris");
        body["n"] = 2;
        body["tools"] = WeatherTool.DeepClone();

        using var response = await gateway.Client.PostChatAsync(body);
        var choices = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]!.AsArray();

        var ids = choices.Select(c => c!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^functions\\.get_weather:\\d+$", id));
    }

    [Fact]
    public async Task An_answer_spent_entirely_on_thinking_carries_a_warning_header()
    {
        // Kimi's budget resolver keeps room for an answer; MiniMax thinks inline and can spend everything.
        var body = ChatBodies.Simple(ModelFamilies.MiniMaxModelId, "think a lot [[sim:reasoning=400]]");
        body["max_tokens"] = 64;

        using var response = await gateway.Client.PostChatAsync(body);
        var choice = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!;

        Assert.Equal("length", choice["finish_reason"]!.GetValue<string>());
        Assert.Null(choice["message"]!["content"]);
        Assert.Contains(response.Headers.GetValues("X-Shardgate-Warning"), w => w.StartsWith("empty-output", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_spent_entirely_on_thinking_says_so_in_a_comment_before_done()
    {
        var body = ChatBodies.Simple(ModelFamilies.MiniMaxModelId, "think a lot [[sim:reasoning=400]]", stream: true);
        body["max_tokens"] = 64;

        using var response = await gateway.Client.PostChatAsync(body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains(": shardgate-warning empty-output", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_normal_answer_has_no_empty_output_warning()
    {
        using var response = await gateway.Client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId));
        Assert.False(response.Headers.TryGetValues("X-Shardgate-Warning", out _));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

/// <summary>A model configured like the network's validated hosts: logprobs forced upstream, hidden from clients.</summary>
public sealed class ForcedFieldsEndToEndTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;
    private SimulatedHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await GatewayHarness.StartAsync(true, $"--Shardgate:Contract:Models:{ModelFamilies.QwenModelId}:ForceUpstreamLogprobs", "true");
        _host = await _harness.AddHostAsync("q", new SimulatedHostOptions { Family = ModelFamily.Qwen });
        _client = _harness.CreateClient(await _harness.CreateApiKeyAsync());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Forced_fields_reach_the_host_but_not_the_client()
    {
        using var response = await _client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId, "x [[sim:tokens=4]]"));
        var completion = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var sent = JsonNode.Parse(_host.LastRequestBody.Span)!;
        Assert.True(sent["logprobs"]!.GetValue<bool>());
        Assert.Equal(5, sent["top_logprobs"]!.GetValue<int>());
        Assert.True(sent["return_token_ids"]!.GetValue<bool>());
        Assert.False(completion.ContainsKey("prompt_token_ids"));
        Assert.False(completion["choices"]![0]!.AsObject().ContainsKey("logprobs"));
        Assert.False(completion["choices"]![0]!.AsObject().ContainsKey("token_ids"));
    }

    [Fact]
    public async Task Forced_fields_are_hidden_in_streams_too()
    {
        using var response = await _client.PostChatAsync(ChatBodies.Simple(ModelFamilies.QwenModelId, "x [[sim:tokens=4]]", stream: true));
        var text = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("logprob", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token_ids", text, StringComparison.Ordinal);
        Assert.Equal(4, Sse.Content(Sse.DataPayloads(text)).Split(' ').Length);
    }

    [Fact]
    public async Task A_client_that_asks_for_logprobs_gets_them()
    {
        var body = ChatBodies.Simple(ModelFamilies.QwenModelId, "x [[sim:tokens=4]]");
        body["logprobs"] = true;

        using var response = await _client.PostChatAsync(body);
        var completion = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(4, completion["choices"]![0]!["logprobs"]!["content"]!.AsArray().Count);
    }
}

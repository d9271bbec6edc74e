using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Responses;

/// <summary>Failure paths of <c>/v1/responses</c>: a stall mid-stream is <c>response.failed</c>, charged for what was delivered.</summary>
public sealed class ResponsesFailureTests
{
    [Fact]
    public async Task A_host_stalling_mid_stream_ends_with_response_failed_and_is_charged_only_for_what_was_delivered()
    {
        await using var harness = await GatewayHarness.StartAsync(true, "--Shardgate:Upstream:InterChunkTimeout", "00:00:00.500");
        await harness.AddHostAsync("staller", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "stall-after=4" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        var body = new JsonObject { ["model"] = ModelFamilies.QwenModelId, ["input"] = "stall me [[sim:tokens=40]]", ["stream"] = true };
        using var response = await client.PostAsync("/v1/responses", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var events = Sse.Events(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(events, e => e.Name == "response.completed");
        Assert.Equal(["response.failed", "error"], events[^2..].Select(e => e.Name));
        Assert.Equal("upstream_stream_interrupted", events[^2].Data["response"]!["error"]!["code"]!.GetValue<string>());
        var delivered = events.Count(e => e.Name == "response.output_text.delta");

        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("/v1/responses", row["endpoint"]!.GetValue<string>());
        Assert.Equal("incomplete", row["outcome"]!.GetValue<string>());
        // Charged for what was delivered: the simulator's four events are the role chunk and three tokens.
        Assert.Equal(3, row["completion_tokens"]!.GetValue<int>());
        Assert.Equal(3, delivered);
    }
}

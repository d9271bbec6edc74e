using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api.Anthropic;

/// <summary>Failure paths of <c>/v1/messages</c>: a saturated shard is 529, a failure mid-stream is an <c>error</c> event.</summary>
public sealed class MessagesFailureTests
{
    private const string Qwen = ModelFamilies.QwenModelId;

    [Fact]
    public async Task A_saturated_shard_answers_529_overloaded_error_with_retry_after_and_logs_the_529()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("busy", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "status=429" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostAsync("/v1/messages", Json(Qwen, "hi", stream: false));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var row = (await harness.Admin.GetFromJsonAsync<JsonObject>($"/admin/v1/requests/{response.Headers.GetValues("X-Request-Id").Single()}"))!;

        Assert.Equal(529, (int)response.StatusCode);
        Assert.Equal("overloaded_error", error["error"]!["type"]!.GetValue<string>());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(529, row["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_host_dropping_mid_stream_ends_the_stream_with_an_error_event_and_no_message_stop()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("dropper", new SimulatedHostOptions { Family = ModelFamily.Qwen, Fault = "drop-after=4", TokensPerSecond = 10 });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostAsync("/v1/messages", Json(Qwen, "drop me [[sim:tokens=20]]", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("event: message_start", body, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);
        var last = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1].Split('\n');
        Assert.Equal("event: error", last[0]);
        var error = JsonNode.Parse(last[1][6..])!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("api_error", error["error"]!["type"]!.GetValue<string>());
    }

    private static StringContent Json(string model, string prompt, bool stream) => new(
        new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 64,
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        }.ToJsonString(),
        Encoding.UTF8,
        "application/json");
}

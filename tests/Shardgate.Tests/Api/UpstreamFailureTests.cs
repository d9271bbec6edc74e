using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Api;

/// <summary>Each failure path against real simulated hosts. The failing host gets the higher weight so it is tried first.</summary>
public sealed class UpstreamFailureTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private static readonly SimulatedHostOptions QwenHost = new() { Family = ModelFamily.Qwen };

    [Fact]
    public async Task A_refused_connection_is_retried_on_another_host_of_the_model()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.RegisterAsync("dead", new Uri($"http://127.0.0.1:{ClosedPort.Get()}"), Qwen, 32_768, 8, weight: 10);
        var live = await harness.AddHostAsync("live", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, live.Requests);
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
        Assert.Equal("live", row["node_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("status=500", false)]
    [InlineData("status=503", true)]
    [InlineData("status=429", true)]
    [InlineData("empty", true)]
    [InlineData("drop-after=0", true)]
    [InlineData("drop-after=0", false)]
    public async Task A_host_failing_before_the_first_byte_is_retried_elsewhere(string fault, bool stream)
    {
        await using var harness = await GatewayHarness.StartAsync();
        var failing = await harness.AddHostAsync("failing", QwenHost with { Fault = fault }, weight: 10);
        var live = await harness.AddHostAsync("live", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "retry me", stream));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, live.Requests);
        if (stream)
        {
            Assert.Equal("[DONE]", Sse.DataPayloads(text)[^1]);
        }

        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
        Assert.Equal("completed", row["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_every_host_fails_the_client_gets_a_502_with_the_last_failure()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("a", QwenHost with { Fault = "status=500" });
        await harness.AddHostAsync("b", QwenHost with { Fault = "status=500" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("upstream_unavailable", error["code"]!.GetValue<string>());
        Assert.Contains("HTTP 500", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_host_is_full_the_client_gets_429_saturated_with_retry_after()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var host = await harness.AddHostAsync("only", QwenHost, maxConcurrent: 1);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());
        using var holder = new CancellationTokenSource();
        var slow = client.PostAsJsonAsync("/v1/chat/completions", ChatBodies.Simple(Qwen, "hold the slot [[sim:fault=slow-first-token=30000]]", stream: true), holder.Token);
        for (var i = 0; i < 3_000 && host.Active == 0; i++)
        {
            await Task.Delay(10);
        }

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("model_saturated", error["code"]!.GetValue<string>());
        Assert.Contains("not a balance", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await holder.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task A_drop_after_output_began_ends_the_stream_with_an_error_event_and_no_done()
    {
        await using var harness = await GatewayHarness.StartAsync();
        // Paced, so the first chunks reach the gateway before the reset (a reset discards unread socket data).
        await harness.AddHostAsync("dropper", QwenHost with { Fault = "drop-after=4", TokensPerSecond = 10 }, weight: 10);
        var spare = await harness.AddHostAsync("spare", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "drop me [[sim:tokens=20]]", stream: true));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("[DONE]", payloads);
        Assert.Equal("upstream_stream_interrupted", JsonNode.Parse(payloads[^1])!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(0, spare.Requests);
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("incomplete", row["outcome"]!.GetValue<string>());
        Assert.Equal(3, row["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_stall_after_output_began_ends_the_stream_with_an_error_event_after_the_inter_chunk_timeout()
    {
        await using var harness = await GatewayHarness.StartAsync(true, "--Shardgate:Upstream:InterChunkTimeout", "00:00:00.500");
        await harness.AddHostAsync("staller", QwenHost with { Fault = "stall-after=3" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "stall me", stream: true));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.DoesNotContain("[DONE]", payloads);
        var error = JsonNode.Parse(payloads[^1])!["error"]!;
        Assert.Contains("no output within 0.5 s", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // Charged for what was delivered (the role chunk and two tokens), marked incomplete, and the host quarantined.
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("incomplete", row["outcome"]!.GetValue<string>());
        Assert.Equal(2, row["completion_tokens"]!.GetValue<int>());
        var hosts = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        Assert.Equal("quarantined", hosts.Single()!["health"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_disabled_node_takes_its_model_out_of_service_and_enabling_brings_it_back()
    {
        await using var harness = await GatewayHarness.StartAsync();
        await harness.AddHostAsync("only", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using (var disable = await harness.Admin.PostAsync("/admin/v1/nodes/only/disable", null))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        Assert.Empty((await client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray());
        using (var refused = await client.PostChatAsync(ChatBodies.Simple(Qwen)))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var enable = await harness.Admin.PostAsync("/admin/v1/nodes/only/enable", null))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        }

        using var served = await client.PostChatAsync(ChatBodies.Simple(Qwen));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shardgate.Simulator;
using Shardgate.Tests.Infrastructure;

namespace Shardgate.Tests.Routing;

/// <summary>
/// Hedging of slow first tokens through the gateway. The slow host gets the higher weight so it is chosen first;
/// the hedge deadline is capped low (<c>MaxDelay</c>) so the tests need no warm-up of the p95.
/// </summary>
public sealed class HedgingEndToEndTests
{
    private const string Qwen = ModelFamilies.QwenModelId;
    private static readonly SimulatedHostOptions QwenHost = new() { Family = ModelFamily.Qwen };
    private static readonly string[] FastHedge = ["--Shardgate:Hedging:MaxDelay", "00:00:00.200"];

    [Fact]
    public async Task A_stream_without_content_by_the_deadline_is_hedged_and_only_the_winners_bytes_reach_the_client()
    {
        await using var harness = await GatewayHarness.StartAsync(true, FastHedge);
        var slow = await harness.AddHostAsync("slow", QwenHost with { Fault = "slow-first-token=10000" }, weight: 10);
        var fast = await harness.AddHostAsync("fast", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "hedge me [[sim:tokens=12]]", stream: true));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", payloads[^1]);
        var chunks = payloads.SkipLast(1).Select(p => JsonNode.Parse(p)!).ToList();
        // One host's stream: a single completion id, the role once, exactly the twelve tokens asked for.
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        Assert.Single(chunks, c => c["choices"]![0]!["delta"]!["role"] is not null);
        Assert.Equal(12, chunks.Count(c => c["choices"]![0]!["delta"]!["content"] is JsonValue v && v.GetValue<string>().Length > 0));

        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("fast", row["node_id"]!.GetValue<string>());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
        Assert.Equal("completed", row["outcome"]!.GetValue<string>());
        Assert.Equal(1, fast.Requests);
        Assert.Equal(1, slow.Requests);
        // The loser was cancelled, not left generating, and counted a strike for its slowness.
        await WaitUntilAsync(() => slow.Active == 0);
        var health = await HealthOfAsync(harness, "slow");
        Assert.Equal(1, health["strikes"]!.GetValue<int>());
        Assert.Contains("a hedge on fast answered first", health["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_whose_content_comes_before_the_deadline_never_hedge()
    {
        // A deadline far above a healthy simulated first token, even on a loaded machine.
        await using var harness = await GatewayHarness.StartAsync(true, "--Shardgate:Hedging:MaxDelay", "00:00:05");
        var a = await harness.AddHostAsync("a", QwenHost);
        var b = await harness.AddHostAsync("b", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, $"quick {i}", stream: true));
            await response.Content.ReadAsStringAsync();
            var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
            Assert.Equal(1, row["attempts"]!.GetValue<int>());
        }

        Assert.Equal(10, a.Requests + b.Requests);
    }

    [Fact]
    public async Task With_the_hedge_budget_spent_the_slow_host_is_waited_for()
    {
        await using var harness = await GatewayHarness.StartAsync(
            true, [.. FastHedge, "--Shardgate:Hedging:BudgetFraction", "0", "--Shardgate:Hedging:BudgetBurst", "0"]);
        await harness.AddHostAsync("slow", QwenHost with { Fault = "slow-first-token=600" }, weight: 10);
        var fast = await harness.AddHostAsync("fast", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "patience", stream: true));
        await response.Content.ReadAsStringAsync();

        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("slow", row["node_id"]!.GetValue<string>());
        Assert.Equal(1, row["attempts"]!.GetValue<int>());
        Assert.Equal(0, fast.Requests);
    }

    [Fact]
    public async Task A_hedge_that_fails_leaves_the_first_host_to_finish()
    {
        await using var harness = await GatewayHarness.StartAsync(true, FastHedge);
        // The first host answers only once the hedge has failed: no race between the two to lose on a busy machine.
        var slow = await harness.AddHostAsync("slow", QwenHost with { Fault = "hold" }, weight: 10);
        await harness.AddHostAsync("broken", QwenHost with { Fault = "status=500" });
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        var sending = client.PostChatAsync(ChatBodies.Simple(Qwen, "still mine", stream: true));
        await WaitUntilAsync(async () => (await HealthOfAsync(harness, "broken"))["status"]!.GetValue<string>() == "coolingdown");
        slow.ReleaseHeld();
        using var response = await sending;
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.Equal("[DONE]", payloads[^1]);
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("slow", row["node_id"]!.GetValue<string>());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
        Assert.Equal("coolingdown", (await HealthOfAsync(harness, "broken"))["status"]!.GetValue<string>());
        Assert.Equal(0, (await HealthOfAsync(harness, "slow"))["strikes"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_host_that_sends_only_the_role_chunk_and_falls_silent_has_not_answered_and_is_retried_elsewhere()
    {
        await using var harness = await GatewayHarness.StartAsync(
            true, "--Shardgate:Hedging:Enabled", "false", "--Shardgate:Upstream:FirstByteTimeout", "00:00:00.500");
        await harness.AddHostAsync("mute", QwenHost with { Fault = "stall-after=1" }, weight: 10);
        await harness.AddHostAsync("live", QwenHost);
        using var client = harness.CreateClient(await harness.CreateApiKeyAsync());

        using var response = await client.PostChatAsync(ChatBodies.Simple(Qwen, "say something", stream: true));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", payloads[^1]);
        var row = await harness.WaitForLogRowAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("live", row["node_id"]!.GetValue<string>());
        Assert.Equal(2, row["attempts"]!.GetValue<int>());
    }

    private static async Task<JsonNode> HealthOfAsync(GatewayHarness harness, string nodeId)
    {
        var hosts = (await harness.Admin.GetFromJsonAsync<JsonArray>("/admin/v1/hosts"))!;
        return hosts.Single(h => h!["id"]!.GetValue<string>() == nodeId)!["health"]!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    /// <summary>Waits (bounded at 30 s, for a busy machine) until <paramref name="condition"/> holds.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }
}
